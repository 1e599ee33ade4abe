"""Alerts to a chat webhook: a real HTTP server stands in for Slack's; the URL never reaches a log."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path

import pytest
from werkzeug import Response

from hirepulse import db
from hirepulse.cli import _schedule_jobs, main
from hirepulse.config import ConfigError, load_config, parse_config

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CONFIG = REPO / "data" / "sample" / "hirepulse.toml"
HOOK = "/services/T000/B000/synthetic-secret"   # the path part of a webhook URL is its secret


def received(httpserver) -> list[dict]:
    return [json.loads(request.get_data()) for request, _ in httpserver.log]


def config_with_alerts(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "hirepulse.toml"
    reports = f'out_dir = "{(tmp_path / "reports").as_posix()}"\nschedule = "0 6 * * 1"'
    path.write_text(SAMPLE_CONFIG.read_text(encoding="utf-8").replace('out_dir = "reports"', reports)
                    + '\n[alerts]\nwebhook_env = "TEST_ALERT_WEBHOOK"\n' + extra, encoding="utf-8")
    return path


def wave_db(sample_db: Path) -> Path:
    with db.connect(sample_db) as con:   # the data as it stood in the sample's February ghosting wave
        later = [r[0] for r in con.execute(
            "SELECT id FROM mentions WHERE published_at >= TIMESTAMPTZ '2026-03-09'").fetchall()]
        db.delete_mentions(con, later)
    return sample_db


def test_the_scheduled_report_posts_new_spikes_to_the_webhook(sample_db: Path, tmp_path: Path, httpserver,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    config = load_config(config_with_alerts(tmp_path))
    report = next(j for j in _schedule_jobs(config, wave_db(sample_db), [], salt="s") if j.name == "report")
    with caplog.at_level(logging.INFO):
        report.func(lambda: False)
    (message,) = received(httpserver)
    title, *lines = message["text"].split("\n")
    from datetime import datetime, timezone

    out = tmp_path / "reports" / datetime.now(timezone.utc).date().isoformat()
    assert title == ("hirepulse: spikes since the week of 2026-02-16 (to 2026-03-08); every spike is in "
                     f"{out / 'spikes.csv'}:")
    assert lines and all(line.startswith("• ") for line in lines)
    assert any(line.startswith("• Brightwater, week of 2026-02-16: All candidate experiences, ") for line in lines)
    (request, _), = httpserver.log
    assert request.headers["User-Agent"].startswith("hirepulse/")
    assert not any(HOOK in r.getMessage() for r in caplog.records if r.name != "werkzeug")   # (the test server's)


def test_a_refused_export_file_is_posted_once(tmp_path: Path, httpserver, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    (tmp_path / "drop").mkdir()
    bad = tmp_path / "drop" / "june.csv"
    bad.write_text("submitted,comment,step\n2025-06-11,Fine.,Coffee Chat\n", encoding="utf-8")
    os.utime(bad, (time.time() - 3600, time.time() - 3600))
    config_path = tmp_path / "hirepulse.toml"
    config_path.write_text('[[companies]]\nname = "Brightwater"\n\n[[imports]]\nfolder = "drop"\nsource = "survey"\n'
                           'map = { submitted = "published_at", comment = "text", step = "stage" }\n\n'
                           '[alerts]\nwebhook_env = "TEST_ALERT_WEBHOOK"\n', encoding="utf-8")
    (job,) = [j for j in _schedule_jobs(load_config(config_path), tmp_path / "h.duckdb", [], salt="s")
              if j.name.startswith("import")]
    job.func(lambda: False)
    job.func(lambda: False)   # unchanged: not read again, not posted again
    (message,) = received(httpserver)
    title, line = message["text"].split("\n")
    assert title == "hirepulse: 1 export file refused in drop"
    assert line.startswith(f"• {bad}, row 2, column 'step': unknown stage '…'") and "Coffee Chat" not in line


@pytest.mark.parametrize("answer", ["500", "closed"])
def test_a_failed_post_is_logged_without_the_url_and_the_job_goes_on(sample_db: Path, tmp_path: Path, httpserver,
                                                                     monkeypatch: pytest.MonkeyPatch, answer: str,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    if answer == "500":
        httpserver.expect_request(HOOK, method="POST").respond_with_response(Response("no", status=500))
        url, expected = httpserver.url_for(HOOK), "alert not sent: the webhook answered 500"
    else:
        with socket.socket() as s:   # a port nothing listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url, expected = f"http://127.0.0.1:{port}{HOOK}", "alert not sent: ConnectError reaching the webhook"
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", url)
    config = load_config(config_with_alerts(tmp_path))
    report = next(j for j in _schedule_jobs(config, wave_db(sample_db), [], salt="s") if j.name == "report")
    with caplog.at_level(logging.INFO):
        report.func(lambda: False)   # no exception: the reports are written all the same
    assert any((tmp_path / "reports").iterdir())
    messages = [r.getMessage() for r in caplog.records if r.name != "werkzeug"]   # (the test server's own log)
    assert expected in messages
    assert not any(HOOK in m or "synthetic-secret" in m for m in messages)


def test_report_alert_posts_from_the_command_line_and_needs_a_webhook(sample_db: Path, tmp_path: Path, httpserver,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    config_path = config_with_alerts(tmp_path)
    args = ["report", "--out", str(tmp_path / "out"), "--db", str(wave_db(sample_db)), "--config", str(config_path),
            "--alert"]
    monkeypatch.delenv("TEST_ALERT_WEBHOOK", raising=False)
    assert main(args) == 1
    assert capsys.readouterr().err == ("hirepulse: error: --alert: the environment variable TEST_ALERT_WEBHOOK is not "
                                       "set\n")
    assert not (tmp_path / "out").exists()   # (checked before any work)
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    assert main(args) == 0
    assert capsys.readouterr().out.endswith("alert sent\n")
    assert len(received(httpserver)) == 1
    # the same spikes in the next report (they stay in its window for weeks) are not posted again
    assert main(args) == 0
    assert capsys.readouterr().out.endswith("alert not sent: the same spikes were posted before\n")
    assert len(received(httpserver)) == 1
    assert main(["report", "--out", str(tmp_path / "plain"), "--db", str(sample_db), "--config", str(config_path)]) == 0
    assert len(received(httpserver)) == 1   # without --alert, an analyst's report posts nothing


def test_the_config_names_the_webhooks_variable_never_its_url() -> None:
    with pytest.raises(ConfigError, match="never the webhook's URL itself") as error:
        parse_config('[alerts]\nwebhook_env = "https://hooks.example/services/T0/B0/secret"\n', "h.toml")
    assert "secret" not in str(error.value).replace("is a secret", "")
    assert parse_config("", "h.toml").alerts.webhook_env is None


def test_a_malformed_webhook_url_is_one_warning_not_a_traceback(monkeypatch, caplog) -> None:
    import logging

    from hirepulse.alerts import send
    from hirepulse.config import parse_config

    config = parse_config('[alerts]\nwebhook_env = "TEST_BAD_WEBHOOK"\n', "/srv/hirepulse.toml")
    for bad in ("http://[::1/SECRETxyz", "https://hooks.example/T0/SECRETxyz\n"):
        monkeypatch.setenv("TEST_BAD_WEBHOOK", bad)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="hirepulse"):
            assert send(config, "hirepulse: a spike", ["line"]) is False
        assert [r.getMessage() for r in caplog.records] == [
            "alert not sent: the webhook's URL in TEST_BAD_WEBHOOK is not a valid URL"]
        assert "SECRET" not in caplog.text


def test_the_scheduler_says_at_start_when_its_alerts_have_nowhere_to_go(monkeypatch, caplog) -> None:
    import logging

    from hirepulse.cli import _warn_if_no_webhook
    from hirepulse.config import parse_config

    config = parse_config('[alerts]\nwebhook_env = "TEST_UNSET_WEBHOOK"\n', "/srv/hirepulse.toml")
    monkeypatch.delenv("TEST_UNSET_WEBHOOK", raising=False)
    with caplog.at_level(logging.WARNING, logger="hirepulse"):
        _warn_if_no_webhook(config)
        monkeypatch.setenv("TEST_UNSET_WEBHOOK", "https://hooks.example/T0/abc")
        _warn_if_no_webhook(config)   # set: nothing to say
        _warn_if_no_webhook(parse_config("", "/srv/hirepulse.toml"))   # no alerts configured: nothing to say
    assert [r.getMessage() for r in caplog.records] == [
        "alerts: [alerts] webhook_env names TEST_UNSET_WEBHOOK, which is not set for this process: spikes and refused "
        "files go to the log only"]


def add_ghosting_posts(db_path: Path, count: int, start: int = 0) -> None:
    """``count`` more candidates ghosted by Brightwater in the week of the sample's spike (2026-02-16)."""
    from datetime import datetime, timezone

    from hirepulse.cli import DEMO_SALT
    from hirepulse.models import Mention

    posts = [Mention(source="reviews", native_id=f"extra-{start + i}", company="Brightwater", kind="review",
                     published_at=datetime(2026, 2, 18, 9, i % 60, tzinfo=timezone.utc),
                     text=f"Applied to Brightwater in February (case {start + i}), two interviews, then the recruiter "
                          "ghosted me and I never heard back. Awful way to treat candidates.")
             for i in range(count)]
    with db.connect(db_path) as con:
        db.upsert_mentions(con, posts, salt=DEMO_SALT)   # (the sample's)


def test_an_ongoing_spike_is_posted_and_warned_of_once_and_again_only_when_it_doubles(
        sample_db: Path, tmp_path: Path, httpserver, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok")
    monkeypatch.setenv("TEST_ALERT_WEBHOOK", httpserver.url_for(HOOK))
    config = load_config(config_with_alerts(tmp_path))
    db_path = wave_db(sample_db)
    report = next(j for j in _schedule_jobs(config, db_path, [], salt="s") if j.name == "report")

    def run() -> tuple[list[str], list[str]]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="hirepulse"):
            report.func(lambda: False)
        said = [r for r in caplog.records if r.getMessage().startswith("report: ") and "week of 2026-02-16:" in
                r.getMessage()]
        return ([r.getMessage() for r in said if r.levelno == logging.WARNING],
                [r.getMessage() for r in said if r.levelno == logging.INFO])

    warned, _ = run()
    assert len(received(httpserver)) == 1 and len(warned) == 2
    all_line = next(line for line in warned if "All candidate experiences" in line)

    add_ghosting_posts(db_path, 1)   # the spike's week gains a post: the same spike, one more post
    warned, known = run()
    assert len(received(httpserver)) == 1 and warned == []   # not posted, nor warned of, again
    grown = next(line for line in known if "All candidate experiences" in line)
    assert grown != all_line and grown.endswith("(said before)")   # (its count changed: a text hash re-posted it)

    add_ghosting_posts(db_path, 40, start=1)   # ...until it has doubled since it was posted
    warned, _ = run()
    assert len(received(httpserver)) == 2
    assert [line for line in warned if "All candidate experiences" in line] and not [
        line for line in warned if "Screening" in line]
    title, *lines = received(httpserver)[1]["text"].split("\n")
    assert [line for line in lines if "All candidate experiences" in line][0].endswith("(was 37 when posted)")
    assert not [line for line in lines if "Screening" in line]   # (unchanged: told before, not told again)
    assert f"every spike is in {tmp_path / 'reports'}/" in title and title.endswith("/spikes.csv:")


@pytest.mark.parametrize("value", ["hooks.example/services/SECRETxyz", "ftp://hooks.example/SECRETxyz",
                                   "https:///SECRETxyz", "http://[::1/SECRETxyz", "https://hooks.example/SECRETxyz\n"])
def test_a_webhook_variable_holding_no_url_is_said_at_start_without_echoing_it(
        sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, value: str) -> None:
    from hirepulse.cli import _warn_if_no_webhook

    monkeypatch.setenv("TEST_ALERT_WEBHOOK", value)
    config_path = config_with_alerts(tmp_path)
    said = ("TEST_ALERT_WEBHOOK does not hold a webhook URL (http:// or https://, a host, no spaces or line breaks)")
    # a cron `report --alert`: refused before any work, not at the first spike weeks later
    assert main(["report", "--out", str(tmp_path / "out"), "--db", str(sample_db), "--config", str(config_path),
                 "--alert"]) == 1
    err = capsys.readouterr().err
    assert err == f"hirepulse: error: --alert: {said}\n" and not (tmp_path / "out").exists()
    # the scheduler: one warning line as it starts
    with caplog.at_level(logging.WARNING, logger="hirepulse"):
        _warn_if_no_webhook(load_config(config_path))
    assert [r.getMessage() for r in caplog.records] == [f"alerts: {said}: spikes and refused files go to the log only"]
    assert main(["status", "--db", str(sample_db), "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert f"  alerts: {said}, so alerts go to the log only" in out.splitlines()
    assert "SECRET" not in out + err + caplog.text
