"""Benchmark: what telling number cells from text cells in an XLSX's NIK column costs.

``imports.reading`` reads a sheet as text (a NIK must stay text), then reads the NIK column
alone once more to learn which cells were numbers (a NIK typed into a number cell lost its
16th digit: ``nik_precision_lost``). Measures, in one run and on the same file:
  (a) ``read_table`` as it is (with the number-cell pass);
  (b) the baseline: ``read_table`` with that pass switched off.
Prints the medians over several rounds and the ratio (a)/(b).

    .venv/bin/python bench/xlsx_nik_cells.py [--rows 100000] [--rounds 5]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")

import django  # noqa: E402

django.setup()

from lindung.imports import reading, samples  # noqa: E402


def timed(data: bytes) -> float:
    start = time.perf_counter()
    table = reading.read_table(data, "pekerja.xlsx")
    elapsed = time.perf_counter() - start
    assert table.frame.height > 0
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    path = "/tmp/bench-xlsx-nik-cells.xlsx"
    samples.to_xlsx(samples.workers_frame(args.rows, seed=7), path)
    with open(path, "rb") as handle:
        data = handle.read()
    original = reading._number_cells
    with_pass, without = [], []
    for _ in range(args.rounds):
        reading._number_cells = original
        with_pass.append(timed(data))
        reading._number_cells = lambda *a, **k: None
        without.append(timed(data))
    reading._number_cells = original
    a, b = statistics.median(with_pass), statistics.median(without)
    print(f"rows {args.rows:,}, rounds {args.rounds}")
    print(f"(a) read_table with the number-cell pass: median {a:.3f} s")
    print(f"(b) baseline, without it:                 median {b:.3f} s")
    print(f"ratio (a)/(b): {a / b:.2f}")


if __name__ == "__main__":
    main()
