"""The sample generator: the shipped file is its default output, and larger exports are reproducible by seed."""

from datetime import datetime

from xiaobao.intake.importer import read_table
from xiaobao.intake.sample import SAMPLE_PATH, rows


def test_the_shipped_sample_is_what_the_generator_writes():
    table = read_table(SAMPLE_PATH.read_bytes())
    assert [list(values) for _, values in table.rows] == rows()


def test_a_large_export_is_the_same_for_the_same_seed_and_plants_bad_rows_throughout():
    big = rows(3000, seed=7, start=datetime(2025, 11, 1, 8, 30), days=365)
    assert big == rows(3000, seed=7, start=datetime(2025, 11, 1, 8, 30), days=365)
    assert big != rows(3000, seed=8, start=datetime(2025, 11, 1, 8, 30), days=365)
    assert len({r[0] for r in big}) == 3000  # platform numbers never repeat
    assert big[-1][1].date().isoformat() == "2026-10-31"
    # Excel row = index + 3: the sample's three faults at rows 13, 25, 38, then again at 1013, 1025, 1038, …
    assert [i + 3 for i, r in enumerate(big) if r[2] == "建议"] == [25, 1025, 2025]
    assert [i + 3 for i, r in enumerate(big) if r[1] == "2026-09-31 10:15"] == [38, 1038, 2038]
