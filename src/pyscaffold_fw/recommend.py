"""Rank the frameworks for a set of requirements, with the guidance behind every point.

Pure: requirements and the guidance table (guidance.py) in, a ranking out. Each matching
row of evidence adds its weight; each stated need adds NEED_BUILT_IN when the framework
has it built in and NEED_MISSING when it does not. Equal scores keep TIE_ORDER. A framework
without a starter is suggested beside a winner of its own category (the articles name them
together: Bottle with Flask, Sanic with FastAPI and Tornado, TurboGears with Django and
Pyramid) when the stated requirements speak for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyscaffold_fw.guidance import (
    EVIDENCE,
    FRAMEWORKS,
    NEED_MISSING_BY_FRAMEWORK,
    NEED_SOURCES,
    NEED_SOURCES_BY_FRAMEWORK,
    SOURCES,
    TIE_ORDER,
    Evidence,
    Framework,
)

NEED_BUILT_IN = 2
NEED_MISSING = -1


@dataclass(frozen=True)
class Requirements:
    """What the user is building; every field optional."""

    kind: str | None = None
    needs: frozenset[str] = field(default_factory=frozenset)
    scale: str | None = None
    concurrency: str | None = None
    experience: str | None = None
    priorities: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Requirements:
        """Read requirements back from `to_json`'s form (unknown keys are ignored)."""
        return cls(
            kind=value.get("kind"),
            needs=frozenset(value.get("needs") or ()),
            scale=value.get("scale"),
            concurrency=value.get("concurrency"),
            experience=value.get("experience"),
            priorities=frozenset(value.get("priorities") or ()),
        )

    def is_empty(self) -> bool:
        """Tell whether nothing at all was stated."""
        return self == Requirements()

    def matches(self, evidence: Evidence) -> bool:
        """Tell whether a row of evidence applies to these requirements."""
        if evidence.factor == "priority":
            return evidence.value in self.priorities
        return bool(getattr(self, evidence.factor) == evidence.value)

    def to_json(self) -> dict[str, Any]:
        """Return the requirements as plain JSON values."""
        return {
            "kind": self.kind,
            "needs": sorted(self.needs),
            "scale": self.scale,
            "concurrency": self.concurrency,
            "experience": self.experience,
            "priorities": sorted(self.priorities),
        }


@dataclass(frozen=True)
class Reason:
    """One point for (positive weight) or against (negative) a framework."""

    text: str
    weight: int
    source: str

    def to_json(self) -> dict[str, Any]:
        """Return the reason with its source spelled out."""
        return {"text": self.text, "weight": self.weight, "source": SOURCES[self.source]}


@dataclass(frozen=True)
class Score:
    """A framework's total and the reasons that make it up, strongest first."""

    framework: Framework
    score: int
    reasons: tuple[Reason, ...]

    @property
    def pros(self) -> tuple[Reason, ...]:
        """Return the reasons for the framework."""
        return tuple(r for r in self.reasons if r.weight > 0)

    @property
    def cons(self) -> tuple[Reason, ...]:
        """Return the reasons against the framework, strongest first."""
        return tuple(sorted((r for r in self.reasons if r.weight < 0), key=lambda r: r.weight))

    def to_json(self) -> dict[str, Any]:
        """Return the score as the documented JSON object."""
        return {
            "framework": self.framework.id,
            "title": self.framework.title,
            "score": self.score,
            "category": self.framework.category,
            "best_for": self.framework.best_for,
            "reasons": [r.text for r in self.pros],
            "against": [r.text for r in self.cons],
            "evidence": [r.to_json() for r in self.reasons],
        }


@dataclass(frozen=True)
class Recommendation:
    """The ranking of the frameworks with templates, and others worth a look."""

    requirements: Requirements
    ranking: tuple[Score, ...]
    also_consider: tuple[Score, ...]

    @property
    def recommended(self) -> Score:
        """Return the winner."""
        return self.ranking[0]

    def score_of(self, framework_id: str) -> Score:
        """Return the score of one ranked framework."""
        return next(s for s in self.ranking if s.framework.id == framework_id)

    def missing_needs(self, framework_id: str) -> tuple[str, ...]:
        """Return the stated needs the framework does not have built in."""
        built_in = self.score_of(framework_id).framework.built_in
        return tuple(sorted(self.requirements.needs - built_in))

    @property
    def basis(self) -> str:
        """Why the winner won: "default" (nothing stated), "tie" (the guidance's order
        broke an equal score) or "requirements"."""
        if self.requirements.is_empty():
            return "default"
        if len(self.ranking) > 1 and self.ranking[1].score == self.ranking[0].score:
            return "tie"
        return "requirements"

    def to_json(self) -> dict[str, Any]:
        """Return the recommendation as the documented JSON object."""
        return {
            "recommended": self.recommended.framework.id,
            "basis": self.basis,
            "requirements": self.requirements.to_json(),
            "ranking": [s.to_json() for s in self.ranking],
            "also_consider": [s.to_json() for s in self.also_consider],
        }


def recommend(
    requirements: Requirements,
    frameworks: Iterable[Framework] = FRAMEWORKS,
    evidence: Iterable[Evidence] = EVIDENCE,
) -> Recommendation:
    """Rank every framework with a template; suggest the winner's peers without one: the
    same category, and a positive score for these requirements."""
    rows = tuple(evidence)
    scores = sorted((_score(f, requirements, rows) for f in frameworks), key=_rank_key)
    ranking = tuple(s for s in scores if s.framework.has_template)
    category = ranking[0].framework.category
    also = tuple(
        s
        for s in scores
        if not s.framework.has_template and s.framework.category == category and s.score > 0
    )
    return Recommendation(requirements, ranking, also)


def _rank_key(score: Score) -> tuple[int, int]:
    return (-score.score, TIE_ORDER.index(score.framework.id))


def _score(framework: Framework, requirements: Requirements, rows: tuple[Evidence, ...]) -> Score:
    reasons = [
        Reason(row.claim, row.weight, row.source)
        for row in rows
        if row.framework == framework.id and requirements.matches(row)
    ]
    reasons += [_need_reason(framework, need) for need in sorted(requirements.needs)]
    reasons.sort(key=lambda r: -r.weight)
    return Score(framework, sum(r.weight for r in reasons), tuple(reasons))


def _need_reason(framework: Framework, need: str) -> Reason:
    if need in framework.built_in:
        claim, source = NEED_SOURCES_BY_FRAMEWORK.get((framework.id, need)) or NEED_SOURCES[need]
        return Reason(f"{need} built in: {claim}", NEED_BUILT_IN, source)
    claim, source = NEED_MISSING_BY_FRAMEWORK.get(
        (framework.id, need), ("you add and wire a library yourself", "upgrad")
    )
    return Reason(f"no built-in {need}: {claim}", NEED_MISSING, source)
