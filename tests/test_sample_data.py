"""The bundled synthetic sample in data/sample/: reproducible, parseable, and telling its story.

The demo and the dashboard rely on these files; the checks here keep the committed files in step
with ``data/sample/generate.py`` and keep the story the README promises (a Brightwater ghosting
wave in 2026 Q1, a delayed consumer-brand dip, steady competitors) in the data.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import statistics
import sys
import tomllib
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
BW, CO, FH = "Brightwater", "Cobalt Outfitters", "Fernhill Market"
STAGES = ("application", "screening", "interview", "offer", "rejection", "onboarding")
MONTHS = [f"{y}-{m:02d}" for y, m in [(2025, m) for m in range(5, 13)] + [(2026, m) for m in range(1, 11)]]
COLUMNS = {
    "reviews_export.csv": ["review_id", "review_date", "employer", "reviewer_name", "overall_rating",
                           "review_title", "review_body", "review_link"],
    "candidate_survey.csv": ["response_id", "submitted_at", "hiring_stage", "score", "comment"],
    "forum_posts.jsonl": ["id", "published_at", "url", "company", "author", "text"],
    "social_posts.jsonl": ["id", "published_at", "url", "company", "author", "text"],
    "news_blogs.csv": ["id", "published_at", "url", "company", "author", "title", "text"],
}
DATE_COLUMN = {"reviews_export.csv": "review_date", "candidate_survey.csv": "submitted_at"}
TEXT_COLUMN = {"reviews_export.csv": "review_body", "candidate_survey.csv": "comment"}
ID_COLUMN = {"reviews_export.csv": "review_id", "candidate_survey.csv": "response_id"}


def _load_generator():
    spec = importlib.util.spec_from_file_location("hirepulse_sample_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return gen.generate_records()


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    """Every committed data file, parsed with the standard library."""
    out: dict[str, list[dict]] = {}
    for name, columns in COLUMNS.items():
        text = (SAMPLE / name).read_text(encoding="utf-8")
        if name.endswith(".csv"):
            reader = csv.DictReader(io.StringIO(text, newline=""))
            assert reader.fieldnames == columns, name
            out[name] = list(reader)
        else:
            parsed = [json.loads(line) for line in text.splitlines()]
            for row in parsed:
                assert list(row) == columns, name
            out[name] = parsed
    return out


def _date(name: str, row: dict) -> str:
    return row[DATE_COLUMN.get(name, "published_at")]


def _text(name: str, row: dict) -> str:
    return row[TEXT_COLUMN.get(name, "text")]


# ---- reproducible ----------------------------------------------------------------------------


def test_committed_files_match_the_generator(tmp_path):
    gen.main(["--out-dir", str(tmp_path)])
    for name in COLUMNS:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), (
            f"{name} differs from what generate.py writes; run `python data/sample/generate.py` and commit"
        )


def test_generator_is_deterministic():
    assert gen.render(gen.generate_records()) == gen.render(gen.generate_records())


def test_generator_uses_only_the_standard_library():
    source = (SAMPLE / "generate.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^(?:from|import) (\w+)", source, flags=re.M))
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_texts_are_built_from_many_fragments():
    assert gen.fragment_count() >= 150


# ---- parseable -------------------------------------------------------------------------------


def test_every_file_parses_with_pandas():
    for name, columns in COLUMNS.items():
        path = SAMPLE / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False) if name.endswith(".csv") else pd.read_json(
            path, lines=True, dtype=False)
        assert list(frame.columns) == columns
        assert len(frame) > 0


def test_rows_have_text_and_utc_iso_timestamps(rows):
    for name, file_rows in rows.items():
        for row in file_rows:
            assert _text(name, row).strip(), (name, row)
            stamp = _date(name, row)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamp), (name, stamp)
            parsed = datetime.fromisoformat(stamp)
            assert parsed.tzinfo == timezone.utc
            assert date(2025, 5, 1) <= parsed.date() <= date(2026, 10, 31), (name, stamp)


def test_ratings_and_stages_are_valid(rows):
    assert {int(r["overall_rating"]) for r in rows["reviews_export.csv"]} <= {1, 2, 3, 4, 5}
    assert {int(r["score"]) for r in rows["candidate_survey.csv"]} <= {1, 2, 3, 4, 5}
    assert {r["hiring_stage"] for r in rows["candidate_survey.csv"]} == set(STAGES)


def test_ids_are_unique_except_the_reexported_reviews(rows):
    for name, file_rows in rows.items():
        ids = Counter(r[ID_COLUMN.get(name, "id")] for r in file_rows)
        repeated = {k: v for k, v in ids.items() if v > 1}
        if name != "reviews_export.csv":
            assert not repeated, name
            continue
        assert 1 <= sum(v - 1 for v in repeated.values()) <= 5
        for review_id in repeated:
            copies = [r for r in file_rows if r["review_id"] == review_id]
            assert all(c == copies[0] for c in copies), f"re-exported review {review_id} must be identical"


def test_manifest_describes_every_file():
    manifest = tomllib.loads((SAMPLE / "manifest.toml").read_text(encoding="utf-8"))
    entries = {f["path"]: f for f in manifest["files"]}
    assert set(entries) == set(COLUMNS)
    fields = {"text", "published_at", "url", "company", "author", "stage", "rating", "id", "title"}
    expected = {"reviews_export.csv": ("csv", "reviews"), "candidate_survey.csv": ("csv", "survey"),
                "forum_posts.jsonl": ("jsonl", "forum"), "social_posts.jsonl": ("jsonl", "social"),
                "news_blogs.csv": ("csv", "news")}
    for path, entry in entries.items():
        assert set(entry) <= {"path", "format", "source", "company", "map", "rating_scale"}
        assert (entry["format"], entry["source"]) == expected[path]
        mapping = entry.get("map", {})
        assert set(mapping) <= set(COLUMNS[path]), path
        assert set(mapping.values()) <= fields, path
        mapped = {mapping.get(c, c) for c in COLUMNS[path]}
        assert {"text", "published_at"} <= mapped, path
    assert entries["candidate_survey.csv"]["company"] == BW
    assert entries["candidate_survey.csv"]["map"]["hiring_stage"] == "stage"
    assert entries["reviews_export.csv"]["map"]["review_body"] == "text"
    # the two files that rate, and the scale they rate on: every rating within it
    for path, column in (("reviews_export.csv", "overall_rating"), ("candidate_survey.csv", "score")):
        scale = entries[path]["rating_scale"]
        with open(SAMPLE / path, encoding="utf-8", newline="") as fh:
            given = [float(row[column]) for row in csv.DictReader(fh) if row[column]]
        assert given and scale == 5 and all(1 <= g <= scale for g in given), path
    assert all("rating_scale" not in e for p, e in entries.items() if p not in ("reviews_export.csv", "candidate_survey.csv"))


def test_demo_config_names_the_three_companies():
    config = tomllib.loads((SAMPLE / "hirepulse.toml").read_text(encoding="utf-8"))
    companies = {c["name"]: c for c in config["companies"]}
    assert set(companies) == {BW, CO, FH}
    assert companies[BW]["aliases"] == ["Brightwater Goods", "BWG"]
    assert companies[BW]["competitors"] == [CO, FH]
    assert companies[CO]["aliases"] == ["Cobalt"]
    assert companies[FH]["aliases"] == ["Fernhill"]
    assert config["privacy"]["salt_env"] == "HIREPULSE_SALT"


# ---- synthetic and safe ----------------------------------------------------------------------


def test_labelled_synthetic():
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "**Everything in this folder is synthetic.**" in readme
    for name in ("manifest.toml", "hirepulse.toml", "generate.py"):
        assert "synthetic" in (SAMPLE / name).read_text(encoding="utf-8").lower(), name


def test_urls_emails_and_phones_are_fictional(rows):
    url_re = re.compile(r"^https://([a-z0-9-]+\.)*example\.(com|org|net)/\S*$")
    emails, phones = set(), 0
    for name, file_rows in rows.items():
        for row in file_rows:
            url = row.get("url") or row.get("review_link") or ""
            assert not url or url_re.match(url), (name, url)
            blob = " ".join(str(v) for v in row.values())
            emails |= set(re.findall(r"[\w.+-]+@[\w.-]+\.\w+", blob))
            assert "http" not in _text(name, row), "no links inside texts"
            for phone in re.findall(r"\+?[\d(][\d ()-]{6,}\d", _text(name, row)):
                phones += 1
                assert "555" in phone, phone
    assert emails and all(e.endswith("@example.com") for e in emails), emails
    assert phones >= 5


def test_small_and_few_duplicate_texts(rows, records):
    assert sum((SAMPLE / name).stat().st_size for name in COLUMNS) < 2_000_000
    texts = [_text(name, row) for name, file_rows in rows.items() for row in file_rows]
    deliberate = sum(r["labels"]["duplicate"] for r in records)
    repeated = sum(n - 1 for n in Counter(texts).values()) - deliberate
    assert repeated / len(texts) < 0.10


# ---- counts ----------------------------------------------------------------------------------


def test_volume_and_months(rows, records):
    total = sum(len(r) for r in rows.values())
    assert total == len(records) >= 1500
    assert 250 <= len(rows["candidate_survey.csv"]) <= 350
    months = {_date(name, row)[:7] for name, file_rows in rows.items() for row in file_rows}
    assert months == set(MONTHS)
    for company in (BW, CO, FH):  # every company in every month
        assert {r["published_at"].strftime("%Y-%m") for r in records if r["labels"]["company"] == company} == set(MONTHS)


def test_companies_and_shares(rows, records):
    named = {r["employer"] for r in rows["reviews_export.csv"]}
    named |= {r["company"] for name in ("forum_posts.jsonl", "news_blogs.csv") for r in rows[name]}
    assert {"Brightwater Goods", CO, FH} <= named
    by_company = Counter(r["labels"]["company"] for r in records)
    assert 0.55 <= by_company[BW] / len(records) <= 0.60
    assert by_company[CO] > 200 and by_company[FH] > 200
    consumer = sum(r["labels"]["kind"] == "consumer" for r in records)
    assert 0.30 <= consumer / len(records) <= 0.35


def test_every_public_post_names_its_company(records):
    aliases = {BW: r"brightwater|bwg", CO: r"cobalt outfitters|cobalt", FH: r"fernhill"}
    for r in records:
        company = r["labels"]["company"]
        if r["file"] in ("social", "forum") and company and not r["row"]["company"]:
            assert re.search(rf"\b({aliases[company]})", r["row"]["text"], re.I), r["row"]


def test_mix_of_kinds_stages_and_sentiments(records):
    kinds = Counter(r["labels"]["kind"] for r in records)
    assert {"candidate", "consumer", "employer", "advice", "news", "colour"} <= set(kinds)
    stages = Counter(s for r in records for s in r["labels"]["stages"])
    assert set(stages) == set(STAGES)
    for company in (BW, CO, FH):
        sentiments = {r["labels"]["sentiment"] for r in records if r["labels"]["company"] == company}
        assert {"pos", "neg", "mixed"} <= sentiments
    multi_stage = [r for r in records if len(r["labels"]["stages"]) >= 2 and r["labels"]["kind"] == "candidate"]
    assert len(multi_stage) > 200
    linked = [r for r in records if r["labels"]["kind"] == "candidate" and r["labels"]["consumer_link"]]
    assert len(linked) >= 30


def test_cobalt_the_colour_is_not_the_company(records):
    colour = [r for r in records if r["labels"]["kind"] == "colour"]
    assert len(colour) >= 5
    for r in colour:
        assert r["labels"]["company"] is None and r["row"]["company"] == ""
        assert re.search(r"\bcobalt\b", r["row"]["text"], re.I)
        assert not re.search(r"cobalt outfitters", r["row"]["text"], re.I)
    others = [r for r in records if r["labels"]["company"] in (BW, FH) and "cobalt" in r["row"].get("text", "").lower()]
    assert others, "some posts use the colour about another company's product"


# ---- the story -------------------------------------------------------------------------------


def _monthly(records, keep) -> Counter:
    return Counter(r["published_at"].strftime("%Y-%m") for r in records if keep(r))


def _share(records, keep, sentiment="neg") -> float:
    chosen = [r for r in records if keep(r)]
    return sum(r["labels"]["sentiment"] == sentiment for r in chosen) / len(chosen)


def _between(r, start: date, end: date) -> bool:
    return start <= r["published_at"].date() <= end


def _bw_candidate(r) -> bool:
    return r["labels"]["company"] == BW and r["labels"]["kind"] == "candidate"


def _bw_consumer(r) -> bool:
    return r["labels"]["company"] == BW and r["labels"]["kind"] == "consumer"


def test_q1_2026_ghosting_wave_volume(records):
    for keep in (_bw_candidate, lambda r: _bw_candidate(r) and r["file"] != "survey"):
        monthly = _monthly(records, keep)
        base = statistics.mean(monthly[m] for m in MONTHS[:8])  # 2025
        q1 = statistics.mean(monthly[m] for m in ("2026-01", "2026-02", "2026-03"))
        assert q1 >= 2 * base, (q1, base)
    # the competitors stay steady
    for company in (CO, FH):
        monthly = _monthly(records, lambda r, c=company: r["labels"]["company"] == c and r["labels"]["kind"] == "candidate")
        base = statistics.mean(monthly[m] for m in MONTHS[:8])
        assert statistics.mean(monthly[m] for m in ("2026-01", "2026-02", "2026-03")) < 1.5 * base


def test_q1_2026_wave_by_keyword_heuristic(rows):
    """The wave is visible without the generator's labels: Brightwater + hiring words per month."""
    brand = re.compile(r"\b(brightwater|bwg)\b", re.I)
    hiring = re.compile(r"interview|recruit|appl(y|ied|ication)|offer|onboarding|ghost|reject|hear back|final round",
                        re.I)
    monthly: Counter = Counter()
    for name in ("reviews_export.csv", "forum_posts.jsonl", "social_posts.jsonl", "news_blogs.csv"):
        for row in rows[name]:
            blob = " ".join(str(v) for v in row.values())
            if brand.search(blob) and hiring.search(_text(name, row)):
                monthly[_date(name, row)[:7]] += 1
    base = statistics.mean(monthly[m] for m in MONTHS[:8])
    assert statistics.mean(monthly[m] for m in ("2026-01", "2026-02", "2026-03")) >= 2 * base
    assert max(monthly, key=monthly.get) == "2026-02"


def test_wave_is_negative_and_peaks_late_february(records):
    calm = _share(records, lambda r: _bw_candidate(r) and r["published_at"].year == 2025)
    wave = _share(records, lambda r: _bw_candidate(r) and _between(r, date(2026, 1, 1), date(2026, 3, 31)))
    assert calm < 0.35 and wave > 0.65
    assert _share(records, lambda r: _bw_candidate(r) and r["published_at"].year == 2025, "pos") > calm
    weekly = Counter(r["published_at"].isocalendar()[:2] for r in records if _bw_candidate(r))
    peak = max(weekly, key=weekly.get)
    assert (2026, 7) <= peak <= (2026, 9), peak  # ISO weeks 7-9: 9 Feb - 1 Mar 2026
    wave_stages = Counter(s for r in records if _bw_candidate(r) and _between(r, date(2026, 1, 1), date(2026, 3, 31))
                          for s in r["labels"]["stages"])
    assert wave_stages.most_common(1)[0][0] == "rejection"


def test_consumer_dip_follows_the_wave_and_recovers(records):
    before = _share(records, lambda r: _bw_consumer(r) and r["published_at"].year == 2025)
    january = _share(records, lambda r: _bw_consumer(r) and _between(r, date(2026, 1, 1), date(2026, 1, 31)))
    trough = _share(records, lambda r: _bw_consumer(r) and _between(r, date(2026, 3, 1), date(2026, 4, 30)))
    summer = _share(records, lambda r: _bw_consumer(r) and _between(r, date(2026, 7, 1), date(2026, 10, 31)))
    assert trough >= before + 0.25
    assert january < before + 0.10, "the consumer dip starts weeks after the wave, not with it"
    assert summer < before + 0.10
    dip_links = [r for r in records if _bw_consumer(r) and r["labels"]["consumer_link"]]
    assert dip_links and all(_between(r, date(2026, 2, 9), date(2026, 6, 14)) for r in dip_links)


def test_competitors_hold_their_character(records):
    def cand(company):
        return lambda r: r["labels"]["company"] == company and r["labels"]["kind"] == "candidate"

    assert _share(records, cand(FH), "pos") > 0.55
    assert _share(records, cand(CO), "mixed") > _share(records, cand(FH), "mixed")
    assert _share(records, cand(CO), "pos") < _share(records, cand(FH), "pos")


def test_readme_row_counts_match_the_files(rows):
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for name, file_rows in rows.items():
        match = re.search(rf"\| `{re.escape(name)}` \| `\w+` \| ([\d,]+) \|", readme)
        assert match, f"README lists no row count for {name}"
        assert int(match.group(1).replace(",", "")) == len(file_rows), name
    total = sum(len(r) for r in rows.values())
    assert f"{total:,} rows in all" in readme
