"""The recommendation engine: plain scenarios from the guidance, and its invariants."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyscaffold_fw.cli import recommend_command, run
from pyscaffold_fw.guidance import (
    CONCURRENCIES,
    EVIDENCE,
    EXPERIENCES,
    FRAMEWORKS,
    KINDS,
    NEED_SOURCES,
    NEED_SOURCES_BY_FRAMEWORK,
    NEEDS,
    PRIORITIES,
    SCALES,
    SOURCES,
    TIE_ORDER,
    Evidence,
    Framework,
)
from pyscaffold_fw.recommend import Requirements, _need_reason, recommend
from pyscaffold_fw.registry import FRAMEWORK_IDS


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [
        (
            Requirements(kind="webapp", scale="large", needs=frozenset({"admin", "orm", "auth"})),
            "django",
        ),
        (
            Requirements(
                kind="api", needs=frozenset({"async"}), priorities=frozenset({"performance"})
            ),
            "fastapi",
        ),
        (
            Requirements(kind="realtime", concurrency="high", needs=frozenset({"websockets"})),
            "tornado",
        ),
        (Requirements(kind="small", experience="beginner"), "flask"),
        (Requirements(scale="growing", priorities=frozenset({"flexibility"})), "pyramid"),
        (Requirements(), "flask"),
    ],
    ids=[
        "large-admin-orm-auth",
        "fast-async-api",
        "chat-thousands-of-websockets",
        "beginner-small-app",
        "start-small-grow-big",
        "nothing-stated",
    ],
)
def test_scenarios_the_guidance_decides_plainly(requirements: Requirements, expected: str) -> None:
    assert expected == recommend(requirements).recommended.framework.id


def test_sanic_is_suggested_for_high_concurrency_but_never_ranked() -> None:
    recommendation = recommend(Requirements(kind="realtime", concurrency="high"))
    assert "sanic" in [s.framework.id for s in recommendation.also_consider]
    assert "sanic" not in [s.framework.id for s in recommendation.ranking]


def test_bottle_is_suggested_for_a_small_simple_app() -> None:
    recommendation = recommend(Requirements(kind="small", priorities=frozenset({"simplicity"})))
    assert "bottle" in [s.framework.id for s in recommendation.also_consider]


def also_consider(requirements: Requirements) -> list[str]:
    return [s.framework.id for s in recommend(requirements).also_consider]


@pytest.mark.parametrize(
    ("requirements", "winner", "peers"),
    [
        (Requirements(kind="small"), "flask", ["bottle", "cherrypy"]),
        (Requirements(scale="small"), "flask", ["bottle"]),
        (Requirements(experience="beginner"), "flask", ["bottle"]),
        (Requirements(priorities=frozenset({"simplicity"})), "flask", ["bottle", "cherrypy"]),
        (Requirements(kind="api"), "fastapi", ["sanic"]),
        (Requirements(kind="api", priorities=frozenset({"performance"})), "fastapi", ["sanic"]),
        (Requirements(kind="realtime"), "tornado", ["sanic"]),
        (Requirements(concurrency="high"), "tornado", ["sanic"]),
        (Requirements(kind="webapp"), "django", ["turbogears"]),
        (Requirements(kind="webapp", scale="large"), "django", ["turbogears"]),
        (Requirements(scale="growing"), "pyramid", ["turbogears"]),
    ],
    ids=[
        "small-bottle-cherrypy",
        "small-scale-bottle",
        "beginner-bottle",
        "simplicity-bottle-cherrypy",
        "api-sanic",
        "fast-api-sanic",
        "realtime-sanic",
        "many-connections-sanic",
        "webapp-turbogears",
        "large-webapp-turbogears",
        "growing-turbogears",
    ],
)
def test_a_peer_the_articles_name_beside_the_winner_is_suggested(
    requirements: Requirements, winner: str, peers: list[str]
) -> None:
    """Bottle with Flask (microframeworks), Sanic with FastAPI and Tornado (asynchronous),
    TurboGears with Django and Pyramid (full-stack), CherryPy the minimalist one."""
    recommendation = recommend(requirements)
    assert (winner, peers) == (recommendation.recommended.framework.id, also_consider(requirements))


@pytest.mark.parametrize(
    ("requirements", "not_peers"),
    [
        (Requirements(kind="small"), {"sanic", "turbogears"}),
        (Requirements(kind="api", priorities=frozenset({"performance"})), {"bottle", "cherrypy"}),
        (Requirements(kind="realtime", concurrency="high"), {"bottle", "turbogears"}),
        (Requirements(kind="webapp", scale="large"), {"sanic", "bottle", "cherrypy"}),
        # Flask wins; TurboGears scores as much but is full-stack, not Flask's kind.
        (Requirements(kind="webapp", priorities=frozenset({"flexibility"})), {"turbogears"}),
        # Nothing speaks for TurboGears at a large scale alone.
        (Requirements(scale="large"), {"turbogears"}),
    ],
    ids=["small", "fast-api", "realtime", "large-webapp", "flexible-webapp", "large-only"],
)
def test_a_framework_that_is_not_the_winners_peer_is_not_suggested(
    requirements: Requirements, not_peers: set[str]
) -> None:
    assert set() == not_peers & set(also_consider(requirements))


def test_the_also_consider_line_names_the_peer_and_the_guidance_behind_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert 0 == run(recommend_command, ["--kind", "api", "--priority", "performance"])
    out = capsys.readouterr().out
    assert (
        "Also consider Sanic (an asynchronous framework like FastAPI; no starter template): "
        "exceptional speed and support for async/await "
        "[upGrad, blog post on Python web frameworks (2025)]"
    ) in out.splitlines()


def framework(framework_id: str, *, has_template: bool, category: str = "micro") -> Framework:
    title = framework_id.title()
    return Framework(framework_id, title, category, "tests", frozenset(), has_template)


def points(framework_id: str, weight: int) -> Evidence:
    return Evidence(framework_id, "kind", "api", weight, f"{framework_id} claim", "upgrad")


@pytest.mark.parametrize(
    ("category", "other_score", "suggested"),
    [
        ("micro", 1, True),
        ("micro", 20, True),
        ("micro", 0, False),
        ("micro", -1, False),
        ("asynchronous", 20, False),
    ],
    ids=["same-kind-one-point", "same-kind-ahead", "no-point", "against", "other-kind-ahead"],
)
def test_a_framework_without_template_is_suggested_when_a_peer_with_points(
    category: str, other_score: int, suggested: bool
) -> None:
    frameworks = [
        framework("django", has_template=True),
        framework("sanic", has_template=False, category=category),
    ]
    evidence = [points("django", 10), points("sanic", other_score)]
    recommendation = recommend(Requirements(kind="api"), frameworks, evidence)
    also = [s.framework.id for s in recommendation.also_consider]
    assert (["django"], ["sanic"] if suggested else []) == (
        [s.framework.id for s in recommendation.ranking],
        also,
    )


def test_nothing_without_a_score_is_suggested_when_the_winner_has_none() -> None:
    frameworks = [framework("django", has_template=True), framework("sanic", has_template=False)]
    recommendation = recommend(Requirements(kind="api"), frameworks, [])
    assert () == recommendation.also_consider


@pytest.mark.parametrize(
    ("framework_id", "change", "reason"),
    [
        ("flask", -1, "no built-in admin: you add and wire a library yourself"),
        ("django", 2, "admin built in: "),
    ],
    ids=["missing-lowers-the-score", "built-in-raises-it"],
)
def test_a_stated_need_moves_a_score_by_whether_it_is_built_in(
    framework_id: str, change: int, reason: str
) -> None:
    before = recommend(Requirements(kind="webapp")).score_of(framework_id)
    after = recommend(Requirements(kind="webapp", needs=frozenset({"admin"}))).score_of(
        framework_id
    )
    added = [r.text for r in after.reasons if r not in before.reasons]
    assert (change, 1) == (after.score - before.score, len(added))
    assert added[0].startswith(reason)


requirements_strategy = st.builds(
    Requirements,
    kind=st.none() | st.sampled_from(KINDS),
    needs=st.frozensets(st.sampled_from(NEEDS)),
    scale=st.none() | st.sampled_from(SCALES),
    concurrency=st.none() | st.sampled_from(CONCURRENCIES),
    experience=st.none() | st.sampled_from(EXPERIENCES),
    priorities=st.frozensets(st.sampled_from(PRIORITIES)),
)


@given(requirements_strategy, st.sampled_from(NEEDS))
def test_adding_a_built_in_need_never_lowers_a_frameworks_rank(
    requirements: Requirements, need: str
) -> None:
    before = [s.framework.id for s in recommend(requirements).ranking]
    more = Requirements(**{**requirements.__dict__, "needs": requirements.needs | {need}})
    after = [s.framework.id for s in recommend(more).ranking]
    for framework in FRAMEWORKS:
        if framework.has_template and need in framework.built_in:
            assert after.index(framework.id) <= before.index(framework.id)


@given(requirements_strategy)
def test_the_ranking_is_a_total_order_of_the_five(requirements: Requirements) -> None:
    ranking = recommend(requirements).ranking
    assert sorted(FRAMEWORK_IDS) == sorted(s.framework.id for s in ranking)
    keys = [(-s.score, TIE_ORDER.index(s.framework.id)) for s in ranking]
    assert sorted(keys) == keys
    assert len(set(keys)) == len(keys)


@given(requirements_strategy)
def test_every_reason_points_at_the_table(requirements: Requirements) -> None:
    claims = {row.claim for row in EVIDENCE}
    need_claims = {
        claim for claim, _ in (*NEED_SOURCES.values(), *NEED_SOURCES_BY_FRAMEWORK.values())
    }
    recommendation = recommend(requirements)
    for score in (*recommendation.ranking, *recommendation.also_consider):
        assert score.score == sum(r.weight for r in score.reasons)
        for reason in score.reasons:
            assert (
                reason.text in claims
                or any(reason.text.endswith(claim) for claim in need_claims)
                or reason.text.startswith("no built-in ")
            )


@given(requirements_strategy)
def test_the_same_requirements_give_the_same_answer(requirements: Requirements) -> None:
    assert recommend(requirements) == recommend(requirements)


def test_recommend_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(recommend_command, ["--kind", "api", "--need", "async", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert 0 == code
    assert "fastapi" == payload["recommended"]
    assert {"framework", "score", "reasons"} <= set(payload["ranking"][0])
    assert sorted(FRAMEWORK_IDS) == sorted(r["framework"] for r in payload["ranking"])
    assert isinstance(payload["also_consider"], list)
    assert 1 == payload["schema_version"]


def test_recommend_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    flags = ["--kind", "api", "--need", "orm", "--need", "admin", "--json"]
    assert 0 == run(recommend_command, flags)
    payload = json.loads(capsys.readouterr().out)
    winner = payload["ranking"][0]
    also = payload["also_consider"]
    assert {
        "kind": "api",
        "needs": ["admin", "orm"],
        "scale": None,
        "concurrency": None,
        "experience": None,
        "priorities": [],
    } == payload["requirements"]
    top = ["schema_version", "recommended", "basis", "requirements", "ranking", "also_consider"]
    assert top == list(payload)
    keys = ["framework", "title", "score", "category", "best_for", "reasons", "against"]
    assert [*keys, "evidence"] == list(winner)
    assert [[*keys, "evidence"]] * len(also) == [list(entry) for entry in also]
    assert ("django", "Django", "full-stack") == (
        winner["framework"],
        winner["title"],
        winner["category"],
    )
    assert {
        "text": "admin built in: Django ships pre-built admin panels",
        "weight": 2,
        "source": "upGrad, blog post on Python web frameworks (2025)",
    } == winner["evidence"][0]
    against = next(r for r in payload["ranking"] if r["framework"] == "flask")["against"]
    assert "no built-in admin: you add and wire a library yourself" in against


@pytest.mark.parametrize(
    ("framework_id", "expected"),
    [
        ("flask", ("admin", "async", "orm")),
        ("pyramid", ("admin", "async", "orm")),
        ("django", ()),
        ("fastapi", ("admin", "orm")),
    ],
    ids=["flask", "pyramid", "django", "fastapi"],
)
def test_missing_needs_are_the_stated_needs_not_built_in(
    framework_id: str, expected: tuple[str, ...]
) -> None:
    recommendation = recommend(Requirements(needs=frozenset({"orm", "admin", "async"})))
    assert expected == recommendation.missing_needs(framework_id)


def test_recommend_human_output_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == run(recommend_command, ["--kind", "realtime", "--concurrency", "high"])
    out = capsys.readouterr().out
    assert out.startswith("Recommended: Tornado")
    assert "because optimized for real-time applications" in out
    assert "Runner-up: " in out
    assert "Not chosen:" in out
    assert "Also consider Sanic" in out
    assert "--framework" in out


def test_recommend_without_a_terminal_answers_with_the_documented_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert 0 == run(recommend_command, [])
    out = capsys.readouterr().out
    assert out.startswith("Recommended: Flask")
    assert "No requirements given" in out


@given(requirements_strategy)
def test_reasons_are_listed_strongest_first(requirements: Requirements) -> None:
    for score in recommend(requirements).ranking:
        weights = [reason.weight for reason in score.reasons]
        assert sorted(weights, reverse=True) == weights


@pytest.mark.parametrize(
    ("flags", "basis", "line"),
    [
        ((), "default", "(a default, not a ranking)"),
        (("--need", "templates"), "tie", "Tied with Django"),
        (("--kind", "api", "--need", "async"), "requirements", "Runner-up: "),
    ],
    ids=["default", "tie", "ranked"],
)
def test_a_default_is_explained_as_a_default_and_a_tie_as_a_tie(
    capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], basis: str, line: str
) -> None:
    assert 0 == run(recommend_command, [*flags, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert 0 == run(recommend_command, list(flags))
    text = capsys.readouterr().out
    assert (basis, True) == (payload["basis"], line in text)
    assert "fewer of your requirements met (score 0 against 0)" not in text


def test_a_runner_up_that_meets_none_of_the_requirements_is_not_named_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert 0 == run(recommend_command, ["--kind", "small"])
    out = capsys.readouterr().out
    assert out.startswith("Recommended: Flask")
    assert "Runner-up:" not in out


def test_the_guidance_credits_each_framework_with_its_own_documented_features() -> None:
    """Django has async views (since 3.1); tornado.auth is third-party login, not accounts
    and permissions; Pyramid bundles no template language; Flask's async holds a worker."""
    ranking = recommend(Requirements(needs=frozenset({"async", "auth", "templates"}))).ranking
    reasons = {s.framework.id: {r.text: r.source for r in s.reasons} for s in ranking}
    assert (
        "django-async"
        == reasons["django"]["async built in: async views and middleware since Django 3.1"]
    )
    tornado_auth = next(t for t in reasons["tornado"] if t.startswith("no built-in auth: "))
    assert ("tornado-auth", True) == (
        reasons["tornado"][tornado_auth],
        "third-party OAuth/OpenID login only" in tornado_auth,
    )
    assert "auth" not in next(f for f in FRAMEWORKS if f.id == "tornado").built_in
    assert "pyramid-templates" == next(
        source
        for text, source in reasons["pyramid"].items()
        if text.startswith("no built-in templates")
    )
    assert "flask-async" == next(
        source for text, source in reasons["flask"].items() if text.startswith("no built-in async")
    )


def test_every_claim_names_a_source_the_guidance_lists() -> None:
    """Each row and each built-in need cites one of the two articles or a named page of a
    framework's documentation, never a bare "the docs"."""
    cited = {row.source for row in EVIDENCE}
    cited |= {_need_reason(f, need).source for f in FRAMEWORKS for need in NEEDS}
    assert cited <= set(SOURCES)
    pages = [SOURCES[key] for key in cited - {"upgrad", "unleashed"}]
    assert all(" documentation, " in page for page in pages)
