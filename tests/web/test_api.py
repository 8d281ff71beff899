"""The JSON API and its pages through FastAPI's test client: uploads good and bad, names that
must not become paths, scenarios, runs, comparisons and sweeps, and the error answers."""

from __future__ import annotations

import random

import pytest
import yaml

from millnet.case import example_path, load_example, write_case


def upload(client, name: str, data: bytes, **headers: str):
    return client.post("/api/cases", files={"file": (name, data)}, headers=headers)


def test_cases_lists_the_example_and_the_reference_case(client):
    answer = client.get("/api/cases")
    assert answer.status_code == 200
    kinds = {c["id"]: c["kind"] for c in answer.json()}
    assert kinds["mini"] == "example"
    assert kinds["iwg2009"] == "reference"


def test_case_overview_counts_plants_and_demand(client):
    detail = client.get("/api/cases/mini").json()
    overview = detail["overview"]
    assert overview["counts"]["plants"] == 4
    assert [p["id"] for p in overview["plant_list"]] == [
        "camden-ny",
        "jewett-city-ct",
        "littleton-nh",
        "mons-be",
    ]
    assert overview["periods"] == ["2009Q1", "2009Q2"]
    assert detail["choices"]["segments"] == [
        "aerospace",
        "automotive",
        "electronics_datacom",
        "industrial_energy",
    ]


def test_upload_of_a_zipped_case_folder_adds_a_case(client, mini_zip):
    answer = upload(client, "mini.zip", mini_zip)
    assert answer.status_code == 201, answer.text
    case = answer.json()["case"]
    fingerprint = load_example("mini").fingerprint
    assert case["id"] == f"mini-{fingerprint[:8]}"
    assert case["kind"] == "upload"
    assert case["fingerprint"] == fingerprint
    assert answer.json()["issues"] == []
    listed = [c["id"] for c in client.get("/api/cases").json()]
    assert case["id"] in listed
    assert client.get(f"/api/cases/{case['id']}").json()["overview"]["counts"]["plants"] == 4
    page = client.get(f"/cases/{case['id']}")
    assert page.status_code == 200
    assert "jewett-city-ct" in page.text


def test_upload_of_a_flat_zip_and_of_a_workbook(client, zip_folder, tmp_path):
    assert upload(client, "flat.zip", zip_folder(example_path("mini"))).status_code == 201
    workbook = tmp_path / "mini.xlsx"
    write_case(load_example("mini"), workbook)
    answer = upload(client, "mini.xlsx", workbook.read_bytes())
    assert answer.status_code == 201, answer.text
    assert answer.json()["case"]["filename"] == "mini.xlsx"


def test_upload_of_an_invalid_case_answers_422_with_the_issue_table(client, zip_folder, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for path in example_path("mini").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    plants = folder / "plants.csv"
    plants.write_text(plants.read_text().replace("43.3348", "abc"))
    answer = upload(client, "bad.zip", zip_folder(folder))
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"].startswith("case 'mini' has 1 error(s):")
    assert "plants.csv, row 2, column lat: found 'abc'" in body["detail"]
    assert body["issues"] == [
        {
            "severity": "error",
            "table": "plants",
            "row": 2,
            "column": "lat",
            "message": "found 'abc'; expected a number ≥ -90 and ≤ 90",
            "file": "plants.csv",
            "rule": "type",
        }
    ]
    # nothing kept
    assert [c["kind"] for c in client.get("/api/cases").json()] == ["example", "reference"]
    fragment = client.post(
        "/cases/upload",
        files={"file": ("bad.zip", zip_folder(folder))},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 422
    assert "<td>plants.csv</td><td>2</td><td>lat</td>" in fragment.text


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("case.zip", b"PK\x03\x04 not really a zip", 400, "case.zip: not a readable zip archive"),
        ("case.txt", b"id,name\n", 400, "case.txt: expected a .zip of a case folder"),
        ("empty.zip", b"", 400, "empty.zip: the file is empty"),
        (
            "nothing.zip",
            ("members", {"readme.md": b"hello"}),
            400,
            "nothing.zip: no case found in the archive",
        ),
        (
            "trav.zip",
            ("members", {"../plants.csv": b"id\n"}),
            400,
            "trav.zip: member '../plants.csv' points outside the archive ('..'); refused",
        ),
        (
            "abs.zip",
            ("members", {"/etc/plants.csv": b"id\n"}),
            400,
            "abs.zip: member '/etc/plants.csv' has an absolute path",
        ),
        (
            "link.zip",
            ("link", {"case.toml": b"", "plants.csv": b"/etc/passwd"}),
            400,
            "link.zip: member 'plants.csv' is a symbolic link; links are refused",
        ),
    ],
)
def test_bad_uploads_are_refused_in_words(client, zip_members, name, data, status, words):
    if isinstance(data, tuple):
        kind, members = data
        data = zip_members(members, symlinks=("plants.csv",) if kind == "link" else ())
    answer = upload(client, name, data)
    assert answer.status_code == status
    assert answer.json()["detail"].startswith(words)


def test_a_zip_bomb_is_refused_by_ratio_and_by_total_size(make_client, zip_members, tmp_path):
    client = make_client(held=True, max_uncompressed_bytes=20 * 2**20)
    bomb = zip_members({"case.toml": b"", "demand.csv": b"0" * (8 * 2**20)})
    answer = upload(client, "bomb.zip", bomb)
    assert answer.status_code == 413
    assert "member 'demand.csv' expands" in answer.json()["detail"]
    assert "refused as a possible zip bomb" in answer.json()["detail"]
    noise = random.Random(0).randbytes(8 * 2**20)  # incompressible: ratio 1
    wide = zip_members({f"t{i}.csv": noise for i in range(3)})
    answer = upload(client, "wide.zip", wide)
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("wide.zip: uncompresses to more than 20.0 MB")
    assert not list((tmp_path / "workspace" / "cases").iterdir())


def test_uploads_over_the_size_limit_answer_413(make_client):
    client = make_client(held=True, max_upload_bytes=2**20)
    answer = upload(client, "big.zip", b"x" * (3 * 2**20))
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("request body larger than 1 MB")
    answer = upload(client, "big.zip", b"x" * (2**20 + 10))
    assert answer.status_code == 413
    assert answer.json()["detail"] == "big.zip: larger than 1.0 MB; uploads are limited to 1.0 MB"


def test_cases_with_too_many_rows_are_refused(make_client, mini_zip):
    client = make_client(held=True, max_rows=10)
    answer = upload(client, "mini.zip", mini_zip)
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("mini.zip: more than 10 rows in its tables")


@pytest.mark.parametrize(
    "path",
    [
        "/api/cases/..%2F..%2Fetc",
        "/api/cases/%2Fetc%2Fpasswd",
        "/api/cases/nope",
        "/api/cases/mini/scenarios/..%2F..%2Fcase",
        "/api/cases/iwg2009/scenarios/nope",
        "/api/jobs/..%2Fx",
        "/api/jobs/nope",
        "/api/runs/nope",
        "/cases/..%2F..%2Fetc",
    ],
)
def test_names_never_become_paths(client, path):
    answer = client.get(path)
    assert answer.status_code == 404
    assert "detail" in answer.json()


def test_unknown_case_names_the_known_ones(client):
    answer = client.get("/api/cases/nope")
    assert answer.json()["detail"] == "no case 'nope'; known cases: mini, iwg2009"


def test_shipped_cases_cannot_be_deleted(client):
    answer = client.delete("/api/cases/mini")
    assert answer.status_code == 422
    assert answer.json()["detail"] == "case 'mini' ships with millnet and cannot be deleted"


def test_bad_request_fields_answer_422_with_a_sentence(client):
    answer = client.post("/api/cases/mini/solve", json={"time_limit": -1})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "form field 'time_limit': Input should be greater than 0"
    answer = client.get("/api/jobs?limit=abc")
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("query parameter 'limit': Input should be a valid")


AEROSPACE = {
    "name": "aero-minus-40",
    "description": "What if aerospace demand falls 40 %?",
    "demand": [{"segment": "aerospace", "change_pct": -40}],
}


def test_scenario_editor_saves_yaml_through_the_scenario_model(client, tmp_path):
    answer = client.post("/api/cases/iwg2009/scenarios", json=AEROSPACE)
    assert answer.status_code == 201, answer.text
    saved = tmp_path / "workspace" / "scenarios" / "iwg2009" / "aero-minus-40.yaml"
    assert yaml.safe_load(saved.read_text()) == {
        "name": "aero-minus-40",
        "description": "What if aerospace demand falls 40 %?",
        "overrides": [{"kind": "scale_demand", "segments": ["aerospace"], "factor": 0.6}],
    }
    listed = {s["name"]: s for s in client.get("/api/cases/iwg2009/scenarios").json()}
    assert listed["aero-minus-40"]["source"] == "saved"
    text = client.get("/api/cases/iwg2009/scenarios/aero-minus-40").text
    assert "factor: 0.6" in text


def test_scenario_editor_form_with_states_metal_and_options(client, tmp_path):
    fields = {
        "name": "keep-camden",
        "demand-0-segment": "aerospace",
        "demand-0-change": "25",
        "demand-0-periods": "2009Q2",
        "metal-0-metal": "copper",
        "metal-0-factor": "2",
        "force-0-plant": "camden-ny",
        "force-0-state": "running",
        "option-forbid_closures": "true",
    }
    answer = client.post("/cases/mini/scenario", data=fields, headers={"HX-Request": "true"})
    assert answer.status_code == 200, answer.text
    assert 'data-scenario-saved="keep-camden"' in answer.text
    saved = yaml.safe_load(
        (tmp_path / "workspace" / "scenarios" / "mini" / "keep-camden.yaml").read_text()
    )
    assert saved["overrides"] == [
        {"kind": "scale_demand", "segments": ["aerospace"], "factor": 1.25, "periods": ["2009Q2"]},
        {"kind": "metal_prices", "metal": "copper", "factor": 2.0},
        {"kind": "force_state", "plants": ["camden-ny"], "state": "running"},
        {"kind": "options", "forbid_closures": True},
    ]


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({**AEROSPACE, "demand": [{"segment": "toys", "change_pct": -40}]}, "toys"),
        ({"name": "x", "force": [{"plant": "nowhere", "state": "idle"}]}, "nowhere"),
        ({"name": "Bad Name"}, "form field 'name'"),
        ({"name": "x", "demand": [{"segment": "aerospace", "change_pct": -140}]}, "change_pct"),
    ],
)
def test_scenarios_that_do_not_fit_the_case_are_refused(client, tmp_path, form, words):
    answer = client.post("/api/cases/mini/scenarios", json=form)
    assert answer.status_code in (400, 422)
    assert words in answer.json()["detail"]
    assert not (tmp_path / "workspace" / "scenarios" / "mini").exists() or not list(
        (tmp_path / "workspace" / "scenarios" / "mini").iterdir()
    )


def test_solve_request_is_queued_as_a_job_with_its_scenario(client):
    client.post("/api/cases/iwg2009/scenarios", json=AEROSPACE)
    answer = client.post(
        "/api/cases/iwg2009/solve", json={"scenario": "aero-minus-40", "time_limit": 120}
    )
    assert answer.status_code == 202
    job = answer.json()
    assert (job["state"], job["kind"], job["title"]) == (
        "queued",
        "solve",
        "solve iwg2009 · aero-minus-40",
    )
    assert job["params"]["scenario_path"].endswith("scenarios/iwg2009/aero-minus-40.yaml")
    assert client.get(f"/api/jobs/{job['id']}").json()["state"] == "queued"
    assert [j["id"] for j in client.get("/api/jobs").json()] == [job["id"]]
    unknown = client.post("/api/cases/iwg2009/solve", json={"scenario": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("case 'iwg2009' has no scenario 'nope'; known:")


def test_sweep_request_names_the_shipped_sweeps_when_unknown(client):
    answer = client.post("/api/cases/mini/sweep", json={"sweep": "nope"})
    assert answer.status_code == 404
    assert answer.json()["detail"] == "case 'mini' has no sweep 'nope'; known: none"


def test_runs_summary_tables_and_pages(client, saved_runs):
    first, second = saved_runs
    listed = client.get("/api/runs").json()
    assert [r["id"] for r in listed] == [second, first]
    unique = next(i for i, (x, y) in enumerate(zip(first, second, strict=True)) if x != y) + 1
    summary = client.get(f"/api/runs/{first[:unique]}").json()  # a unique prefix, as git
    assert client.get(f"/api/runs/{first[: unique - 1]}").status_code == 400  # ambiguous
    assert summary["id"] == first
    assert summary["status"] == "optimal"
    assert summary["objective"] == pytest.approx(13142943.500182966)
    assert summary["transitions"] == [
        {
            "plant": "camden-ny",
            "period": "2009Q1",
            "from_state": "running",
            "to_state": "idle",
            "transition": "idle",
        },
        {
            "plant": "mons-be",
            "period": "2009Q1",
            "from_state": "running",
            "to_state": "idle",
            "transition": "idle",
        },
    ]
    assert summary["story"][0].startswith("Idle ")
    flows = client.get(f"/api/runs/{first}/tables/flows?limit=2").json()
    assert (flows["table"], flows["offset"]) == ("flows", 0)
    assert len(flows["data"]) == 2
    missing = client.get(f"/api/runs/{first}/tables/nope")
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith(f"run {first} has no table 'nope'; its tables:")
    page = client.get(f"/runs/{first}")
    assert page.status_code == 200
    assert 'data-plant="camden-ny"' in page.text
    assert 'data-period="2009Q1" data-state="idle"' in page.text
    report = client.get(f"/runs/{first}/report")
    assert report.status_code == 200
    assert "sandbox allow-scripts" in report.headers["content-security-policy"]


def test_compare_and_sweep_summary(client, saved_runs):
    first, second = saved_runs
    document = client.get(f"/api/compare?a={first}&b={second}").json()
    assert document["a"]["id"] == first
    assert document["b"]["scenario"] == "again"
    assert document["same_decisions"] is True
    assert document["states"] == []
    objective = next(k for k in document["kpis"] if k["measure"] == "objective")
    assert objective["delta"] == 0.0
    page = client.get(f"/compare?a={first}&b={second}")
    assert page.status_code == 200
    assert "Both plans make the same decisions" in page.text
    summary = client.get("/api/sweeps/s1").json()
    assert summary["runs"][0]["scenario"] == "again"
    shares = {(r["plant"], r["period"]): (r["state"], r["share"]) for r in summary["usual"]}
    assert shares[("camden-ny", "2009Q1")] == ("idle", 1.0)
    assert shares[("jewett-city-ct", "2009Q2")] == ("running", 1.0)
    assert summary["flips"] == []
    assert client.get("/sweeps/s1").status_code == 200
    assert client.get("/api/sweeps/nope").status_code == 404


def test_deleting_a_run(client, saved_runs):
    first, _ = saved_runs
    assert client.delete(f"/api/runs/{first}").status_code == 204
    assert client.get(f"/api/runs/{first}").status_code == 404


@pytest.mark.parametrize(
    "page", ["/", "/cases/mini", "/cases/iwg2009/scenario", "/jobs", "/runs", "/compare", "/sweeps"]
)
def test_pages_render_with_vendored_assets_only(client, page):
    answer = client.get(page)
    assert answer.status_code == 200
    assert "http://" not in answer.text.replace("http://127.0.0.1", "")
    assert "https://" not in answer.text
    assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_docs_and_assets_are_served_from_the_package(client):
    docs = client.get("/docs")
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text
    for asset in (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/htmx/htmx.min.js",
        "/assets/leaflet/leaflet.js",
        "/assets/plotly/plotly-cartesian.min.js",
    ):
        assert client.get(asset).status_code == 200, asset
    schema = client.get("/openapi.json").json()
    assert "/api/cases" in schema["paths"]
    assert "/cases/upload" not in schema["paths"]


def test_uploaded_zip_members_outside_the_case_folder_are_not_extracted(
    client, zip_members, tmp_path
):
    members = {f"mini/{p.name}": p.read_bytes() for p in example_path("mini").glob("*.csv")}
    members["mini/case.toml"] = (example_path("mini") / "case.toml").read_bytes()
    members["other/evil.csv"] = b"x\n"
    answer = upload(client, "mixed.zip", zip_members(members))
    assert answer.status_code == 201, answer.text
    folder = tmp_path / "workspace" / "cases" / answer.json()["case"]["id"] / "case"
    assert (folder / "plants.csv").exists()
    assert not (folder / "evil.csv").exists()
