"""The wizard as a person uses it: in a real pseudo-terminal, typing and pressing keys."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

import pyscaffold_fw

UNDER_TEST = str(Path(pyscaffold_fw.__file__).resolve().parents[1])

ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"


NO_CPR = {"PROMPT_TOOLKIT_NO_CPR": "1"}


def spawn(workdir: Path, *args: str, redirect: str = "", **env: str) -> pexpect.spawn:
    """Start `new` in a pseudo-terminal; `redirect` (a shell redirection) takes one of its
    ends off the terminal."""
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    # pexpect's terminal never answers prompt_toolkit's cursor-position request, so each
    # prompt would wait a second for it (a real terminal answers at once): not asked here.
    environment.update({"TERM": "xterm", "COLUMNS": "120", "LINES": "40", **NO_CPR, **env})
    # The child starts in workdir: a relative PYTHONPATH=src would miss the code under test.
    path = [UNDER_TEST, *filter(None, [environment.get("PYTHONPATH")])]
    environment["PYTHONPATH"] = os.pathsep.join(path)
    argv = [sys.executable, "-m", "pyscaffold_fw", "new", *args]
    if redirect:
        argv = ["/bin/sh", "-c", f'exec "$@" {redirect}', "sh", *argv]
    return pexpect.spawn(
        argv[0],
        argv[1:],
        cwd=str(workdir),
        env=environment,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


# Copier marks its questions with a microphone, then the question's text.
COPIER_PROMPT = r"🎤(?:\x1b\[[0-9;]*m)* ([^\r\n\x1b]+)"


CUSTOMISE = "Customise the starter"


def enter_through_template_questions(child: pexpect.spawn, *, customise: bool = True) -> list[str]:
    """Accept the default of every question Copier asks (marked 🎤), up to our summary;
    for a built-in starter, first say whether to go through its questions at all."""
    asked: list[str] = []
    patterns = [COPIER_PROMPT, "Create the project", CUSTOMISE]
    while (seen := child.expect(patterns)) != 1:
        if seen == 2:  # answered once; the answered prompt is drawn again, not asked
            child.send("y" if customise else ENTER)
            patterns = patterns[:2]
            continue
        question = child.match.group(1)
        if asked and asked[-1] == question:
            continue  # the answered prompt, drawn again
        asked.append(question)
        child.send(ENTER)
    return asked


REQUIREMENT_PROMPTS = (
    "What are you building",
    "Which features",
    "How large",
    "Concurrent connections",
    "experience",
    "What matters most",
)


def test_enter_all_the_way_through_makes_a_project_in_at_most_ten_prompts(
    workdir: Path,
) -> None:
    child = spawn(workdir)
    prompts = [
        "Project name",
        "What are you building",
        "Say more about your needs",
        "Framework",
        CUSTOMISE,
        "Create the project",
        "Install it into .venv now",
    ]
    for prompt in prompts:  # the defaults everywhere: Enter, nothing else
        child.expect(prompt)
        child.send(ENTER)
    child.expect("Next steps", timeout=300)
    assert 0 == finish(child)
    assert len(prompts) <= 10
    assert (workdir / "my-site" / "pyproject.toml").is_file()
    assert (workdir / "my-site" / ".venv" / "bin" / "pytest").is_file()


def test_saying_more_asks_the_detailed_requirements(workdir: Path) -> None:
    child = spawn(workdir, "tool", "--no-install", "--no-git")
    child.expect("What are you building")
    child.send(ENTER)
    child.expect("Say more about your needs")
    child.send("y")
    child.logfile_read = seen = io.StringIO()
    for prompt in REQUIREMENT_PROMPTS[1:]:  # "no preference" everywhere
        child.expect(prompt)
        child.send(ENTER)
    for hint in ("orm: database tables as Python classes", "openapi: API documentation"):
        assert hint in seen.getvalue()  # each choice says what it means
    child.expect("Framework")
    child.send(ENTER)
    assert [] == enter_through_template_questions(child, customise=False)
    child.send(ENTER)
    assert 0 == finish(child)


def test_a_typed_project_name_replaces_the_suggested_one(workdir: Path) -> None:
    child = spawn(workdir, "--framework", "flask", "--no-install", "--no-git")
    child.expect("Project name")
    child.expect("my-site")  # the suggestion Enter would take, shown before typing
    child.send("shop" + ENTER)
    child.expect(CUSTOMISE)
    child.send(ENTER)
    child.expect("Create the project")
    child.send(ENTER)
    assert 0 == finish(child)
    assert ["shop"] == [path.name for path in workdir.iterdir()]


def test_typed_answers_and_moved_choices_are_used(workdir: Path) -> None:
    child = spawn(workdir, "--framework", "flask", "--no-install")
    child.expect("Project name")
    child.send("\x15")  # Ctrl-U clears the default
    child.send("123" + ENTER)
    child.expect("start with a letter")  # rejected at the prompt, with the reason
    child.send("\x15" + "Shop Front" + ENTER)
    child.expect(CUSTOMISE)
    child.send("y")
    child.expect("package name")
    child.send(ENTER)  # follows the project name: shop_front
    child.expect("description")
    child.send("\x15" + "Sells {{ things }}" + ENTER)
    child.expect("Author name")
    child.send(ENTER)
    child.expect("e-mail")
    child.send(ENTER)
    child.expect("License")
    child.send(DOWN + ENTER)  # MIT -> Apache-2.0
    child.expect("Lowest Python")
    child.send(ENTER)
    child.expect("Database")
    child.send(DOWN + DOWN + ENTER)  # sqlite -> postgresql -> none
    child.expect("Dockerfile")
    child.send("y")
    child.expect("Continuous integration")
    child.send(ENTER)
    child.expect("About to create")
    child.expect("Create the project")
    child.send(ENTER)
    assert 0 == finish(child)
    answers = (workdir / "Shop Front" / ".copier-answers.yml").read_text(encoding="utf-8")
    for expected in (
        "package_name: shop_front",
        "Sells {{ things }}",
        "license: Apache-2.0",
        "database: none",
        "docker: true",
    ):
        assert expected in answers
    assert (workdir / "Shop Front" / "Dockerfile").is_file()


def test_requirements_preselect_the_recommended_framework(workdir: Path) -> None:
    child = spawn(workdir, "tool", "--no-install")
    child.expect("What are you building")
    child.send(DOWN * 4 + ENTER)  # (no preference), webapp, api, realtime, small
    child.expect("Say more about your needs")
    child.send("y")
    child.expect("Which features")
    child.send(ENTER)
    child.expect("How large")
    child.send(DOWN + ENTER)  # small
    for prompt in REQUIREMENT_PROMPTS[3:]:
        child.expect(prompt)
        child.send(ENTER)
    child.expect(r"Flask \(recommended: ")
    child.send(ENTER)
    enter_through_template_questions(child)
    child.send(ENTER)
    assert 0 == finish(child)
    readme = (workdir / "tool" / "README.md").read_text(encoding="utf-8")
    assert "## Why Flask" in readme
    assert "perfect for smaller projects" in readme


def test_declining_the_summary_and_quitting_writes_nothing_and_says_so(workdir: Path) -> None:
    child = spawn(workdir, "shop", "--framework", "flask")
    enter_through_template_questions(child)
    child.send("n")
    child.expect("What now")
    child.send("\x1b[A" + ENTER)  # up from the first choice: the last one, "Quit"
    child.expect("Quit; nothing was written.")
    assert "Error" not in child.before
    assert 1 == finish(child)
    assert [] == list(workdir.iterdir())


def test_declining_the_summary_lets_one_answer_be_changed(workdir: Path) -> None:
    child = spawn(workdir, "shop", "--framework", "flask", "--no-install", "--no-git")
    enter_through_template_questions(child)
    child.send("n")
    child.expect("What now")
    child.send(DOWN * 2 + ENTER)  # Change project_name, package_name, description
    child.expect("One-line description")  # Copier asks that question only
    child.send("\x15" + "A shop that sells shoes" + ENTER)
    child.expect("Create the project")
    child.send(ENTER)
    assert 0 == finish(child)
    answers = (workdir / "shop" / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "description: A shop that sells shoes\n" in answers


def test_ctrl_c_at_a_prompt_exits_130_without_a_traceback(workdir: Path) -> None:
    child = spawn(workdir, "shop", "--framework", "flask")
    child.expect(CUSTOMISE)
    child.send("y")
    child.expect("Python package name")  # a question Copier asks
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    output = child.before
    assert 130 == finish(child)
    assert "Traceback" not in output
    assert "Interrupted" in output
    assert [] == list(workdir.iterdir())


@pytest.mark.parametrize("ci", ["true", "1"], ids=["true", "one"])
def test_ci_variable_means_never_prompt_even_in_a_terminal(workdir: Path, ci: str) -> None:
    child = spawn(workdir, "shop", "--framework", "flask", CI=ci)
    child.expect("--defaults")
    assert 2 == finish(child)


@pytest.mark.parametrize("redirect", ["< /dev/null", "> out.txt"], ids=["stdin", "stdout"])
def test_a_terminal_on_one_end_only_never_prompts(workdir: Path, redirect: str) -> None:
    child = spawn(workdir, "shop", "--framework", "flask", redirect=redirect)
    child.expect("or --defaults to accept the defaults")  # the refusal, on stderr
    assert "?" not in child.before  # no prompt drawn before it
    assert 2 == finish(child)


@pytest.mark.parametrize("ci", [" False ", "0", ""], ids=["false", "zero", "empty"])
def test_ci_set_to_false_still_prompts_in_a_terminal(workdir: Path, ci: str) -> None:
    child = spawn(workdir, "shop", "--framework", "flask", CI=ci)
    child.expect(CUSTOMISE)  # the first question of the wizard, asked
    child.sendcontrol("c")
    assert 130 == finish(child)


@pytest.mark.parametrize(
    ("flags", "names"),
    [
        ((), "pass --framework (for example --framework flask)"),
        (("--framework", "flask"), "Pass each as -d KEY=VALUE"),
    ],
    ids=["no-framework", "template-questions"],
)
def test_json_never_prompts_even_in_a_terminal(
    workdir: Path, flags: tuple[str, ...], names: str
) -> None:
    """In a real terminal, --json still means no prompt: exit 2, one JSON error naming the flag."""
    child = spawn(workdir, "shop", *flags, "--json")
    # A prompt shows "?" (questionary) or waits for an answer (times out); the JSON does not.
    prompted = child.expect([pexpect.EOF, r"\?", pexpect.TIMEOUT], timeout=20) != 0
    if prompted:
        child.terminate(force=True)
    assert (False, "") == (prompted, child.before if prompted else "")
    printed = child.before
    code = finish(child)
    payload = json.loads(printed[printed.index("{") :])  # stdout and stderr share the pty
    assert (2, 2) == (code, payload["exit_code"])
    assert names in payload["error"]
    assert [] == list(workdir.iterdir())


def test_no_color_is_honoured_in_a_terminal(workdir: Path) -> None:
    child = spawn(workdir, "123", "--defaults", NO_COLOR="1")
    child.expect(pexpect.EOF)
    output = child.before
    assert "must start with a letter" in output
    assert "\x1b[" not in output
    assert 2 == finish(child)


def test_a_package_name_the_template_refuses_is_asked_for(workdir: Path) -> None:
    name = "a-project-name-longer-than-the-templates-allow"
    child = spawn(workdir, name, "--framework", "flask", "--no-install")
    child.expect(CUSTOMISE)
    child.send(ENTER)  # the defaults: the package name made from the directory is one
    child.expect("lines allow 40")  # the name made from the directory: the template refuses it
    child.expect(r"Python package name \(import name\):")
    child.send("class" + ENTER)  # our rules refuse a keyword as it is typed
    child.expect("it is a Python keyword")
    child.send("\x15" + "shop" + ENTER)
    enter_through_template_questions(child)
    child.send(ENTER)
    assert 0 == finish(child)
    answers = (workdir / name / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "package_name: shop\n" in answers


def test_a_package_name_our_rules_refuse_is_asked_for_again(workdir: Path) -> None:
    child = spawn(workdir, "class", "--framework", "flask", "--no-install", "--no-git")
    asked = enter_through_template_questions_until(child, "is refused: it is a Python keyword")
    assert "Python package name (import name)" == asked[0]
    child.expect(r"Python package name \(import name\):")
    child.send("klass" + ENTER)
    child.expect("Create the project")  # the other answers are not asked again
    child.send(ENTER)
    assert 0 == finish(child)
    answers = (workdir / "class" / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "package_name: klass\n" in answers


def enter_through_template_questions_until(child: pexpect.spawn, text: str) -> list[str]:
    """Go through the starter's questions, accepting Copier's defaults until `text` appears."""
    asked: list[str] = []
    patterns = [COPIER_PROMPT, text, CUSTOMISE]
    while (seen := child.expect(patterns)) != 1:
        if seen == 2:  # answered once; the answered prompt is drawn again, not asked
            child.send("y")
            patterns = patterns[:2]
            continue
        question = child.match.group(1)
        if not asked or asked[-1] != question:
            asked.append(question)
            child.send(ENTER)
    return asked


def test_a_secret_question_is_typed_unseen_and_never_shown(workdir: Path) -> None:
    template = workdir.parent / "secret-template"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text(
        "_subdirectory: template\n_secret_questions: [token]\n"
        "token:\n  type: str\n  help: API token\n  default: ''\n",
        encoding="utf-8",
    )
    (template / "template" / "token.txt.jinja").write_text("{{ token }}", encoding="utf-8")
    child = spawn(workdir, "app", "--template", str(template), "--no-install", "--no-git")
    child.logfile_read = seen = io.StringIO()  # everything the terminal showed
    child.expect("API token")
    child.send("s3cret-value" + ENTER)
    child.expect("Create the project")
    child.send(ENTER)
    assert 0 == finish(child)
    assert "s3cret-value" not in seen.getvalue()  # not echoed, summarised or repeated
    assert "s3cret-value" == (workdir / "app" / "token.txt").read_text(encoding="utf-8")


def test_template_help_choices_and_defaults_are_shown_visible(workdir: Path) -> None:
    template = workdir.parent / "hostile-template"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text(
        "_subdirectory: template\n"
        'name:\n  type: str\n  help: "Your \\e]0;pwn\\a name \\u202e"\n'
        '  default: "ab\\u202ecd"\n'
        'db:\n  type: str\n  help: Database\n  choices:\n    "pg \\e[2J": pg\n'
        "    sqlite: sqlite\n  default: pg\n",
        encoding="utf-8",
    )
    (template / "template" / "name.txt.jinja").write_text("{{ name }}", encoding="utf-8")
    child = spawn(workdir, "app", "--template", str(template), "--no-install", "--no-git")
    child.logfile_read = seen = io.StringIO()
    child.expect("name")
    child.send(ENTER)  # keeps the default, though it is shown, not typed in
    child.expect("Database")
    child.send(ENTER)
    child.expect("Create the project")
    child.send(ENTER)
    assert 0 == finish(child)
    shown = seen.getvalue()
    for raw in ("\x1b]", "\x07", "\u202e", "\x1b[2J"):
        assert raw not in shown
    for escaped in ("Your \\x1b]0;pwn\\x07 name \\u202e", "ab\\u202ecd", "pg \\x1b[2J"):
        assert escaped in shown
    assert "ab\u202ecd" == (workdir / "app" / "name.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "signum",
    [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
    ids=["SIGINT-from-kill", "SIGTERM", "SIGHUP"],
)
def test_a_signal_at_a_prompt_exits_128_plus_it_and_creates_nothing(
    workdir: Path, signum: int
) -> None:
    child = spawn(workdir, "shop")
    child.expect("What are you building")
    time.sleep(0.3)  # the prompt is now reading keys in raw mode
    child.kill(signum)
    code = finish(child)
    assert 128 + signum == code
    assert "Interrupted; nothing was written." in child.before
    assert "Traceback" not in child.before
    assert [] == list(workdir.iterdir())


def test_the_name_prompt_refuses_a_name_whose_package_name_is_too_long(workdir: Path) -> None:
    """Said at the first question, not eight questions later at the package name."""
    child = spawn(workdir, "--framework", "flask", "--no-install", "--no-git")
    child.expect("Project name")
    child.send("\x15" + "a-really-long-project-name-that-goes-on-forever" + ENTER)
    child.expect("is 47 characters long")
    child.send("\x15" + "shop" + ENTER)
    enter_through_template_questions(child)
    child.send(ENTER)
    assert 0 == finish(child)
    assert (workdir / "shop" / "pyproject.toml").is_file()


def test_each_framework_choice_shows_the_stated_needs_it_lacks(workdir: Path) -> None:
    child = spawn(workdir, "tool", "--need", "admin", "--no-install", "--no-git")
    child.expect("What are you building")
    child.send(ENTER)  # the need came as a flag: no "say more" question
    child.expect("Framework")
    child.expect(r"Flask: [^\r\n]*; no built-in admin")
    child.send(ENTER)  # Django, recommended: admin built in
    assert [] == enter_through_template_questions(child, customise=False)
    child.send(ENTER)
    assert 0 == finish(child)
    assert (workdir / "tool" / "manage.py").is_file()


# The prompt shows a refusal on one line and cuts it at the terminal's width (80 columns
# by default): each reason must fit whole, the cause first.
REFUSED_AT_THE_PROMPT = ["Bad Name!", "1abc", "json", "test", "flask", "class", "x" * 50, "taken"]


@pytest.mark.parametrize("typed", REFUSED_AT_THE_PROMPT)
def test_a_name_refused_at_the_prompt_says_why_in_one_80_column_line(
    typed: str, workdir: Path
) -> None:
    from pyscaffold_fw.wizard import _package_problem, _project_name_problem

    (workdir / "taken").mkdir()
    (workdir / "taken" / "kept.txt").write_text("mine\n")
    reasons = [_project_name_problem(typed), _package_problem(typed)]
    shown = [reason for reason in reasons if isinstance(reason, str)]
    assert shown
    assert [] == [reason for reason in shown if len(reason) > 79 or "\n" in reason]
