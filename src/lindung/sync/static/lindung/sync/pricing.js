// Self-paid months priced on the phone, from the BPU rate tables downloaded with their
// validity dates. The same arithmetic as the server's premium engine
// (lindung/contributions/premiums.py: RateBook.premium for segment BPU, payer "self"); the
// server prices every collection again at sync and refuses a different amount
// (amount_mismatch), so this copy only spares the collector the wait. A month outside the
// downloaded validity, or a worker whose pricing is not on the phone, gives null: the record
// waits for the server to price it. Loaded by the offline page, and by the tests under node.
(function (root) {
  "use strict";

  var BPU_PROGRAMS = ["JKK", "JKM", "JHT"];

  // bp of amount, rounded half up to the rupiah (integers: a rupiah base times basis points
  // stays far below 2^53).
  function percent(amount, bp) {
    return Math.floor((amount * bp + 5000) / 10000);
  }

  function afterRelief(amount, bp) {
    return Math.floor((amount * (10000 - bp) + 5000) / 10000);
  }

  function bracket(income, version) {
    if (income <= version.income_floor) {
      return version.income_floor;
    }
    var steps = Math.floor((income - version.income_floor) / version.income_step);
    return version.income_floor + steps * version.income_step;
  }

  // "2026-11" -> "2026-11-01"; null for anything else.
  function firstDay(month) {
    return /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month + "-01" : null;
  }

  // The version in force in the month, if the month lies within its downloaded validity.
  function versionFor(rates, first) {
    var found = null;
    (rates.bpu || []).forEach(function (version) {
      if (version.valid_from <= first) {
        found = version;
      }
    });
    if (!found || first > found.valid_to || first > rates.valid_until) {
      return null;
    }
    return found;
  }

  function participantMatches(rule, transport) {
    if (rule.participants === "transport") {
      return transport;
    }
    if (rule.participants === "non_transport") {
      return !transport;
    }
    return true;
  }

  // The rule with the largest discount (then the latest first month, then the code).
  function better(a, b) {
    if (a.discount_bp !== b.discount_bp) {
      return a.discount_bp > b.discount_bp;
    }
    if (a.first_month !== b.first_month) {
      return a.first_month > b.first_month;
    }
    return a.code > b.code;
  }

  function reliefFor(rates, first, transport, programs) {
    var best = null;
    (rates.relief || []).forEach(function (rule) {
      var touches = rule.programs.some(function (p) { return programs.indexOf(p) >= 0; });
      if (rule.first_month <= first && first <= rule.last_month && touches &&
          participantMatches(rule, transport) && (!best || better(rule, best))) {
        best = rule;
      }
    });
    return best;
  }

  // One month: {month, amount, base, rule} or null when the phone cannot price it.
  function priceMonth(rates, profile, month) {
    var first = firstDay(month);
    if (!rates || !profile || !first) {
      return null;
    }
    var income = profile.income;
    if (typeof income !== "number" || income < 0 || Math.floor(income) !== income) {
      return null;
    }
    var programs = [];
    var unknown = false;
    (profile.programs || []).forEach(function (p) {
      var name = String(p).toUpperCase();
      if (BPU_PROGRAMS.indexOf(name) < 0) {
        unknown = true;
      } else if (programs.indexOf(name) < 0) {
        programs.push(name);
      }
    });
    if (unknown || !programs.length) {
      return null;
    }
    var version = versionFor(rates, first);
    if (!version) {
      return null;
    }
    var basis = bracket(income, version);
    var rule = reliefFor(rates, first, !!profile.transport, programs);
    var base = 0;
    var amount = 0;
    programs.forEach(function (program) {
      var value;
      if (program === "JKK") {
        value = Math.min(Math.max(percent(basis, version.jkk_rate_bp), version.jkk_min),
          version.jkk_max);
      } else if (program === "JKM") {
        value = version.jkm_amount;
      } else {
        value = percent(basis, version.jht_rate_bp);
      }
      base += value;
      amount += rule && rule.programs.indexOf(program) >= 0 ?
        afterRelief(value, rule.discount_bp) : value;
    });
    return { month: month, amount: amount, base: base, rule: rule ? rule.code : null };
  }

  // Every month of a collection, and the total; null if any month waits for the server.
  function priceMonths(rates, profile, months) {
    var lines = [];
    for (var i = 0; i < months.length; i += 1) {
      var line = priceMonth(rates, profile, months[i]);
      if (!line) {
        return null;
      }
      lines.push(line);
    }
    var total = lines.reduce(function (sum, line) { return sum + line.amount; }, 0);
    return { lines: lines, total: total };
  }

  var api = { priceMonth: priceMonth, priceMonths: priceMonths };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.LindungPricing = api;
  }
})(this);
