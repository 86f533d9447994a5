from tests.programs.conftest import bpu_rates, make_program, person, program  # noqa: F401
