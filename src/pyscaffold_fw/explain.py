"""Words for a recommendation: terminal lines, warnings and the README's "Why" section."""

from __future__ import annotations

from pyscaffold_fw.guidance import CATEGORY_NAMES, SOURCES
from pyscaffold_fw.recommend import Recommendation, Score


def one_line(score: Score) -> str:
    """Return the strongest reason for a framework, or what it is best for."""
    return score.pros[0].text if score.pros else score.framework.best_for


def one_against(score: Score, winner: Score, *, stated: bool = True) -> str:
    """Return the strongest reason against a framework that did not win: a default is
    explained as a default, a tie as a tie."""
    if score.cons:
        return score.cons[0].text
    if not stated:
        return f"not the default (state requirements to rank it): {score.framework.best_for}"
    if score.score == winner.score:
        return (
            f"tied with {winner.framework.title} (score {score.score}); "
            f"{winner.framework.title} comes first in the guidance's order"
        )
    return f"fewer of your requirements met (score {score.score} against {winner.score})"


def recommendation_lines(recommendation: Recommendation) -> list[str]:
    """Return the human report of `pyscaffold-fw recommend`."""
    winner, runner_up = recommendation.ranking[0], recommendation.ranking[1]
    lines = [f"Recommended: {winner.framework.title} (score {winner.score})"]
    if recommendation.basis == "default":
        lines.append(
            f"  No requirements given: {winner.framework.title} is the guidance's general "
            "starting point (a default, not a ranking)."
        )
    lines += [f"  because {r.text} [{SOURCES[r.source]}]" for r in winner.pros]
    if recommendation.basis == "tie":
        lines.append(
            f"  Tied with {runner_up.framework.title}: {winner.framework.title} comes first "
            "in the guidance's order."
        )
    if recommendation.basis != "default" and runner_up.score > 0:  # a peer, not a placeholder
        lines.append(
            f"Runner-up: {runner_up.framework.title} (score {runner_up.score}): "
            f"{one_line(runner_up)}"
        )
    lines.append("Not chosen:" if recommendation.basis != "default" else "The others:")
    stated = not recommendation.requirements.is_empty()
    lines += [
        f"  {s.framework.title}: {one_against(s, winner, stated=stated)}"
        for s in recommendation.ranking[1:]
    ]
    for other in recommendation.also_consider:
        peer = f"{CATEGORY_NAMES[other.framework.category]} like {winner.framework.title}"
        best = other.pros[0]  # suggested only with a positive score
        lines.append(
            f"Also consider {other.framework.title} ({peer}; no starter template): "
            f"{best.text} [{SOURCES[best.source]}]"
        )
    lines.append(
        f"Override: pass --framework ID, e.g. new-project my-app --framework "
        f"{runner_up.framework.id}"
    )
    return lines


def choice_warnings(recommendation: Recommendation, chosen: str) -> list[str]:
    """Return one line per stated need the chosen framework lacks, and a note if overridden."""
    notes = [
        f"Note: {recommendation.score_of(chosen).framework.title} has no built-in {need}; "
        f"you will add a library for it."
        for need in recommendation.missing_needs(chosen)
    ]
    winner = recommendation.recommended.framework
    if notes and winner.id != chosen:
        notes.append(
            f"Note: for these requirements the guidance recommends {winner.title} "
            f"(--framework {winner.id})."
        )
    return notes


def readme_section(recommendation: Recommendation, chosen: str) -> str:
    """Return the Markdown "Why <framework>" section recorded in the generated README."""
    score = recommendation.score_of(chosen)
    title = score.framework.title
    lines = [f"## Why {title}", ""]
    if chosen == recommendation.recommended.framework.id:
        lines.append(
            f"pyscaffold-fw recommended {title} for these requirements (score {score.score}):"
        )
    else:
        lines.append(
            f"{title} was chosen by hand; pyscaffold-fw recommended "
            f"{recommendation.recommended.framework.title}. What speaks for {title}:"
        )
    lines.append("")
    lines += [f"- {r.text} ({SOURCES[r.source]})" for r in score.pros] or [f"- {one_line(score)}"]
    lines += [f"- against: {r.text}" for r in score.cons]
    return "\n".join(lines)
