"""The model as journey analytics reads it: times in days (a touchpoint's duration plus its
wait), one persona's emotions in a persona's view, outcomes, entries and pains' severities."""

from __future__ import annotations

import journeymap
from journeymap.analysis.adapter import chain_of


def test_a_map_becomes_the_chain_the_contract_describes():
    text = ('persona leisure\npersona business\n'
            'stage look { duration 2w\n  touchpoint ad { entry 60%; emotion leisure -2, business 1 }\n'
            '  touchpoint shop { persona business; duration 3h; wait 30min; pain p "Slow" { severity high }; pain "Ugly" }\n}\n'
            'stage buy { duration 1mo\n  touchpoint pay { outcome success; moment first; emotion 2 }\n}\n'
            'ad -> shop { rate 40% }\nshop -> pay\n')
    journey = journeymap.compile_text(text, "m.journey").journey
    chain, _view = chain_of(journey)
    assert [(s.id, s.duration) for s in chain.stages] == [("look", 14), ("buy", 365.25 / 12)]
    ad, shop, pay = chain.touchpoints
    assert (ad.entry, ad.emotion, ad.duration) == (60, -0.5, None)  # per-persona only: their mean
    assert shop.duration == 3 / 24 + 30 / 1440 and shop.pains == ("high", None)
    assert (pay.outcome, pay.moment, pay.emotion) == ("success", True, 2)
    assert [(t.source, t.target, t.rate) for t in chain.transitions] == [(0, 1, 40), (1, 2, None)]
    leisure, view = chain_of(journey, "leisure")
    assert [tp.id for tp in view.touchpoints] == ["ad", "pay"]  # shop is for business only
    assert leisure.touchpoints[0].emotion == -2 and chain_of(journey, "business")[0].touchpoints[0].emotion == 1


def test_the_facade_gives_exact_figures():
    # landing -> checkout; from checkout 62% succeed, 23% go back, 15% drop off: success is
    # 0.62 / (1 - 0.23), and checkout is visited 1 / (1 - 0.23) times.
    text = ('stage s {\n  touchpoint landing\n  touchpoint checkout\n  touchpoint done { outcome success }\n}\n'
            'landing -> checkout\ncheckout -> done { rate 62% }\ncheckout -> landing { rate 23% }\n')
    analysis, _view = journeymap.stats(journeymap.compile_text(text, "m.journey").journey)
    stats = analysis.stats
    assert abs(stats.success - 0.62 / 0.77) < 1e-12 and abs(stats.dropped_off - 0.15 / 0.77) < 1e-12
    assert abs(stats.touchpoints[1].visits - 1 / 0.77) < 1e-12
