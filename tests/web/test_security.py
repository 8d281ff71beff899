"""Who may talk to the app: loopback or a token, the Host header, same-origin posts."""

from __future__ import annotations

import pytest

from millnet.cli.app import main
from millnet.errors import UsageError
from millnet.web import WebSettings, create_app
from millnet.web.settings import is_loopback

TOKEN = "s3cret-token-for-tests"


def test_a_public_host_needs_a_token(tmp_path):
    with pytest.raises(UsageError, match=r"--host 0\.0\.0\.0 is reachable from other machines"):
        create_app(WebSettings(workspace=tmp_path, host="0.0.0.0"))
    with pytest.raises(UsageError, match="at least 12 characters"):
        create_app(WebSettings(workspace=tmp_path, host="0.0.0.0", token="short"))
    create_app(WebSettings(workspace=tmp_path, host="0.0.0.0", token=TOKEN))


def test_serve_refuses_a_public_host_without_a_token(capsys, monkeypatch):
    monkeypatch.delenv("MILLNET_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--host", "0.0.0.0"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--host 0.0.0.0 is reachable from other machines; give --token" in err
    assert "Traceback" not in err


def test_serve_help_shows_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "millnet serve --port 8000 --workspace" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_every_request_needs_the_token(make_client):
    client = make_client(held=True, token=TOKEN)
    refused = client.get("/api/cases")
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("this server needs a token: send 'Authorization")
    page = client.get("/cases/mini", headers={"Accept": "text/html"})
    assert page.status_code == 401
    assert "This server needs its access token" in page.text
    assert client.get("/static/app.css").status_code == 401
    wrong = client.get("/api/cases", headers={"Authorization": "Bearer wrong-token-value"})
    assert wrong.status_code == 401
    good = client.get("/api/cases", headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 200


def test_the_token_link_sets_a_cookie(make_client):
    client = make_client(held=True, token=TOKEN)
    assert client.get("/?token=nope", follow_redirects=False).status_code == 401
    answer = client.get(f"/?token={TOKEN}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert client.get("/api/cases").status_code == 200  # the client keeps the cookie
    assert client.get("/").status_code == 200


def test_a_foreign_host_header_is_refused(client):
    answer = client.get("/api/cases", headers={"Host": "evil.example:8000"})
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("host 'evil.example:8000' is not this server")
    assert client.get("/api/cases", headers={"Host": "localhost:8000"}).status_code == 200


SCENARIO = {"name": "keep", "force": [{"plant": "camden-ny", "state": "running"}]}


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"Origin": "http://evil.example"}, "request from origin 'http://evil.example'"),
        ({"Origin": "null"}, "request from origin 'null'"),
        ({"Sec-Fetch-Site": "cross-site"}, "a cross-site request (Sec-Fetch-Site)"),
        ({"Sec-Fetch-Site": "same-site"}, "a same-site request (Sec-Fetch-Site)"),
        ({"Referer": "http://evil.example/page"}, "request from another site (Referer)"),
    ],
)
def test_cross_site_posts_are_refused(client, tmp_path, headers, words):
    answer = client.post("/api/cases/mini/scenarios", json=SCENARIO, headers=headers)
    assert answer.status_code == 403
    assert answer.json()["detail"].startswith("cross-site request refused: ")
    assert words in answer.json()["detail"]
    assert not (tmp_path / "workspace" / "scenarios" / "mini" / "keep.yaml").exists()


def test_same_origin_posts_and_gets_from_anywhere_pass(client, tmp_path):
    same = {"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"}
    answer = client.post("/api/cases/mini/scenarios", json=SCENARIO, headers=same)
    assert answer.status_code == 201
    assert (tmp_path / "workspace" / "scenarios" / "mini" / "keep.yaml").exists()
    # reading is not changing: a cross-site GET gets an answer (the browser keeps it from the
    # other site's script by the same-origin policy)
    assert client.get("/api/cases", headers={"Origin": "http://evil.example"}).status_code == 200


def test_security_headers_on_every_answer(client):
    answer = client.get("/api/cases")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
