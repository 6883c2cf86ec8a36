"""Rendering is all or nothing: a failing template leaves no trace beside the destination."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from pyscaffold_fw import limits
from pyscaffold_fw.copier_errors import _describe
from pyscaffold_fw.errors import (
    DestinationError,
    InvalidAnswerError,
    RenderError,
    TemplateBoundError,
    UnsafeTemplateError,
)
from pyscaffold_fw.limits import RenderLimitError
from pyscaffold_fw.render import (
    CopierRun,
    Rendered,
    ask_with_copier,
    check_destination,
    finish_in_place,
    render,
)


def make_template(root: Path, files: dict[str, str], copier_yml: str = "") -> Path:
    template = root / "template-src"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: template\n" + copier_yml, encoding="utf-8")
    for name, text in files.items():
        path = template / "template" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return template


def test_render_lists_files_and_recorded_answers(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        {
            "README.md.jinja": "# {{ name }}\n",
            "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
        },
        "name:\n  type: str\n  default: demo\n",
    )
    rendered = render(template, tmp_path / "out", {"name": "shop"}, pretend=False)
    assert (".copier-answers.yml", "README.md") == rendered.files
    assert {"name": "shop"} == dict(rendered.answers)
    assert "# shop\n" == (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_a_template_error_leaves_nothing_behind(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        {"a.txt": "fine", "b.txt.jinja": "{% if %}"},
    )
    before = sorted(tmp_path.iterdir())
    with pytest.raises(RenderError, match="Copier could not render"):
        render(template, tmp_path / "deep" / "out", {}, pretend=False)
    assert before == sorted(tmp_path.iterdir())


GOOD_FILES = {f"good{index:02}.txt.jinja": "{{ 6 * 7 }}" for index in range(30)}


@pytest.mark.parametrize(
    "broken", ["zz-last.txt.jinja", "00-first.txt.jinja"], ids=["broken-last", "broken-first"]
)
def test_thirty_good_files_and_one_failing_leave_nothing_half_made(
    tmp_path: Path, broken: str
) -> None:
    """Whatever order Copier writes in, a failure leaves no destination and no staging."""
    template = make_template(tmp_path / "src", {**GOOD_FILES, broken: "{{ 1 // 0 }}"})
    dest = tmp_path / "work" / "out"
    dest.parent.mkdir()
    with pytest.raises(RenderError, match="ZeroDivisionError"):
        render(template, dest, {}, pretend=False)
    assert [] == list(dest.parent.iterdir())


def test_a_failing_validator_is_an_input_error(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        {"a.txt": "x"},
        'port:\n  type: int\n  default: 1\n  validator: "{% if port < 1024 %}too low{% endif %}"\n',
    )
    with pytest.raises(InvalidAnswerError, match="too low"):
        render(template, tmp_path / "out", {"port": 80}, pretend=False)
    assert not (tmp_path / "out").exists()


def test_pretend_renders_outside_the_destination_folder(tmp_path: Path) -> None:
    template = make_template(tmp_path, {"a.txt": "x"})
    rendered = render(template, tmp_path / "out", {}, pretend=True)
    assert ("a.txt",) == rendered.files
    assert not (tmp_path / "out").exists()


NOT_A_DIRECTORY = "exists and is not a directory; nothing was written."
NOT_EMPTY = "already exists and is not empty; choose a new directory. Nothing was written."


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("file", NOT_A_DIRECTORY),
        ("non-empty-dir", NOT_EMPTY),
        ("symlink-to-non-empty-dir", NOT_A_DIRECTORY),
        ("symlink-to-empty-dir", NOT_A_DIRECTORY),
        ("dangling-symlink", NOT_A_DIRECTORY),
    ],
    ids=["file", "non-empty-dir", "symlink-to-non-empty-dir", "symlink-to-empty-dir", "dangling"],
)
def test_check_destination_refuses_what_is_in_the_way(
    tmp_path: Path, kind: str, expected: str
) -> None:
    dest = tmp_path / "dest"
    if kind == "file":
        dest.write_text("mine", encoding="utf-8")
    elif kind == "non-empty-dir":
        dest.mkdir()
        (dest / "mine.txt").write_text("mine", encoding="utf-8")
    elif kind == "symlink-to-non-empty-dir":
        dest.symlink_to(tmp_path)
    elif kind == "symlink-to-empty-dir":
        (tmp_path / "empty").mkdir()
        dest.symlink_to(tmp_path / "empty")
    else:
        dest.symlink_to(tmp_path / "nowhere")
    with pytest.raises(DestinationError) as raised:
        check_destination(dest)
    assert f"{dest} {expected}" == str(raised.value)


@pytest.mark.parametrize("exists", [False, True], ids=["absent", "empty-dir"])
def test_check_destination_accepts_an_absent_or_empty_folder(tmp_path: Path, exists: bool) -> None:
    dest = tmp_path / "dest"
    if exists:
        dest.mkdir()
    check_destination(dest)  # raises when refused
    assert exists == dest.is_dir()


def test_a_template_without_files_makes_an_empty_project(tmp_path: Path) -> None:
    template = make_template(tmp_path, {}, "name:\n  type: str\n  default: demo\n")
    rendered = render(template, tmp_path / "out", {}, pretend=False)
    assert ((), []) == (rendered.files, list((tmp_path / "out").iterdir()))


def _inner() -> None:
    raise LookupError  # no message, like a failed assert in template code


def _middle() -> None:
    _inner()


def test_a_template_error_is_named_and_one_without_a_message_gets_its_line() -> None:
    try:
        _middle()
    except LookupError as error:
        without_message = _describe(error)
    assert (
        "ZeroDivisionError: division by zero",
        "LookupError at `raise LookupError  # no message, like a failed assert in template code`",
        "LookupError",
    ) == (
        _describe(ZeroDivisionError("division by zero")),
        without_message,
        _describe(LookupError()),
    )


def test_copier_messages_without_a_question_or_module_name_get_no_made_up_name() -> None:
    from pyscaffold_fw.copier_errors import _choose_another, _missing_extension

    assert "" == _choose_another(ValueError("the template says no"))
    message = _missing_extension("tpl", RuntimeError("cannot load it"))
    assert "uv tool install pyscaffold-fw --with PACKAGE" in message


@pytest.mark.parametrize(
    ("copier_yml", "data", "expected"),
    [
        (
            "db:\n  type: str\n  choices: [pg, lite]\n",
            {"db": "oracle"},
            "Invalid answer: Invalid choice for 'db': 'oracle' is not in ['pg', 'lite'] "
            "Pass -d db=VALUE to choose another.",
        ),
        (
            'port:\n  type: int\n  validator: "{% if port < 1024 %}too low{% endif %}"\n',
            {"port": 80},
            "Invalid answer: Validation error for question 'port': too low "
            "Pass -d port=VALUE to choose another.",
        ),
    ],
    ids=["choice", "validator"],
)
def test_a_refused_answer_names_the_flag_that_chooses_another(
    tmp_path: Path, copier_yml: str, data: dict[str, object], expected: str
) -> None:
    template = make_template(tmp_path, {"a.txt": "x"}, copier_yml)
    with pytest.raises(InvalidAnswerError) as raised:
        render(template, tmp_path / "out", data, pretend=False)
    assert expected == raised.value.message


def test_a_missing_jinja_extension_is_named_with_its_reason_on_one_line() -> None:
    from pyscaffold_fw.copier_errors import _missing_extension

    error = ModuleNotFoundError("No module named 'jinja2_time'\n\tinstall it alongside Copier")
    expected = (
        "The template tpl needs a Jinja extension that is not installed (No module named "
        "'jinja2_time' install it alongside Copier); install it beside pyscaffold-fw: "
        "uv tool install pyscaffold-fw --with jinja2-time (or pipx inject pyscaffold-fw "
        "jinja2-time)."
    )
    assert expected == _missing_extension("tpl", error)


def test_render_refuses_an_unsafe_template_unless_trusted(tmp_path: Path) -> None:
    template = make_template(tmp_path, {"a.txt": "x"}, "_jinja_extensions: [jinja2.ext.do]\n")
    with pytest.raises(RenderError) as raised:
        render(template, tmp_path / "out", {}, pretend=False)
    expected = (
        f"Copier could not render {template}: "
        "Template uses potentially unsafe feature: jinja_extensions."
    )
    assert expected == raised.value.message.splitlines()[0]
    assert ("a.txt",) == render(template, tmp_path / "out", {}, pretend=False, trust=True).files


def test_pretending_creates_no_missing_parent_folder(tmp_path: Path) -> None:
    template = make_template(tmp_path, {"a.txt": "x"})
    render(template, tmp_path / "new" / "out", {}, pretend=True)
    assert ["template-src"] == [path.name for path in tmp_path.iterdir()]


ANSWERS_FILE = {"{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}"}


def test_the_recorded_source_replaces_only_the_src_path_line_and_is_kept_as_spelled(
    tmp_path: Path,
) -> None:
    template = make_template(tmp_path, ANSWERS_FILE, "note:\n  type: str\n")
    # Not ASCII, and long enough with spaces that a YAML dumper would fold it.
    source = "/srv/Our café starters/a starter whose name is long enough to pass eighty columns"
    dest = tmp_path / "out"
    # An answer that happens to hold the folder rendered from is not a _src_path.
    render(template, dest, {"note": str(template)}, pretend=False, recorded_source=source)
    answers = (dest / ".copier-answers.yml").read_text(encoding="utf-8")
    assert f"_src_path: {source}\nnote: {template}\n" == answers


def test_an_answers_file_over_the_limit_is_refused_when_recording_the_source(
    tmp_path: Path,
) -> None:
    huge = {next(iter(ANSWERS_FILE)): f"{next(iter(ANSWERS_FILE.values()))}# {'x' * 2**20}\n"}
    template = make_template(tmp_path, huge)
    with pytest.raises(TemplateBoundError) as raised:
        render(template, tmp_path / "out", {}, pretend=False, recorded_source="gh:acme/starter")
    assert raised.value.message == (
        "The template's answers file .copier-answers.yml is larger than 1 MiB; refused. "
        "Nothing was written."
    )
    assert ["template-src"] == [path.name for path in tmp_path.iterdir()]


@pytest.mark.parametrize("tasks", [False, True], ids=["no-tasks", "tasks"])
def test_finishing_in_place_runs_the_templates_tasks_only_when_told(
    tmp_path: Path, tasks: bool
) -> None:
    template = make_template(tmp_path, {"a.txt": "x"}, '_tasks: ["touch task-ran"]\n')
    dest = tmp_path / "out"
    dest.mkdir()
    finish_in_place(CopierRun(str(template), trust=True), dest, {}, tasks=tasks)
    assert (tasks, "x") == ((dest / "task-ran").exists(), (dest / "a.txt").read_text("utf-8"))


ASKED_YML = (
    "name:\n  type: str\n"
    "token:\n  type: str\n  secret: true\n  default: s3\n"
    "hidden:\n  type: str\n  default: h\n  when: false\n"
)


def test_asking_with_every_answer_given_settles_them_all_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    template = make_template(tmp_path, {"a.txt": "x"}, ASKED_YML)
    rendered = ask_with_copier(CopierRun(str(template)), {"name": "shop", "token": "t0k"})
    settled = {"name": "shop", "token": "t0k", "hidden": "h"}
    assert Rendered((), {"name": "shop"}, "", settled, ("name", "token")) == rendered
    assert [] == list(scratch.iterdir())


def test_asking_an_untrusted_templates_questions_is_memory_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MEMORY_HEADROOM_BYTES", 256 * 1024**2)
    template = make_template(tmp_path, {}, "title:\n  default: \"{{ 'a' * 10**9 }}\"\n")
    with pytest.raises(RenderLimitError) as raised:
        ask_with_copier(CopierRun(str(template)), {})
    expected = (
        f"Asking {template}'s questions needed more than 0 GiB of memory (a Jinja expression "
        "that multiplies text or lists?); stopped. Nothing was written."
    )
    assert expected == raised.value.message


@pytest.mark.parametrize(
    ("files", "copier_yml", "shown", "mentions"),
    [
        ({"empty.txt": ""}, "", "", False),
        (
            {"empty.txt": "", "where.txt.jinja": "{{ _copier_conf.dst_path }}"},
            '_message_after_copy: "cd {{ _copier_conf.dst_path }}"\n',
            "cd {dest}",
            True,
        ),
    ],
    ids=["empty-file-no-message", "mentions-staging-and-message"],
)
def test_render_reports_the_message_for_the_final_place_and_whether_files_hold_staging(
    tmp_path: Path, files: dict[str, str], copier_yml: str, shown: str, mentions: bool
) -> None:
    template = make_template(tmp_path, files, copier_yml)
    dest = tmp_path / "out"
    rendered = render(template, dest, {}, pretend=False)
    assert (shown.format(dest=dest), mentions) == (rendered.message, rendered.mentions_staging)


def test_a_link_leaving_the_project_is_refused_and_nothing_written(tmp_path: Path) -> None:
    template = make_template(tmp_path, {"a.txt": "x"}, "_preserve_symlinks: true\n")
    (template / "template" / "link").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(UnsafeTemplateError) as raised:
        render(template, tmp_path / "out", {}, pretend=False)
    expected = (
        "The template made a link pointing outside the project (link); refused. "
        "Nothing was written."
    )
    assert expected == raised.value.message
    assert ["template-src"] == [path.name for path in tmp_path.iterdir()]


def test_render_renders_the_git_ref_asked_for_not_the_newest_tag(tmp_path: Path) -> None:
    from tests.test_vcs import committed_template, git

    template = committed_template(tmp_path / "t")
    git(template, "tag", "v1")
    (template / "README.md.jinja").write_text("# {{ project_name }} two\n", encoding="utf-8")
    git(template, "commit", "-qam", "two")
    git(template, "tag", "v2")
    render(template, tmp_path / "out", {}, pretend=False, vcs_ref="v1")
    assert "# demo\n" == (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_render_says_nothing_even_for_a_dirty_git_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_vcs import committed_template

    template = committed_template(tmp_path / "t")
    # Uncommitted: Copier renders it and warns about it (a CopierWarning), which we silence.
    (template / "README.md.jinja").write_text("# {{ project_name }} edited\n", encoding="utf-8")
    render(template, tmp_path / "out", {}, pretend=False, vcs_ref="HEAD")
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert ("# demo edited\n", "", "") == (readme, *capsys.readouterr())


def test_a_users_copier_settings_never_change_the_answers(tmp_path: Path) -> None:
    settings = Path(os.environ["COPIER_SETTINGS_PATH"])
    settings.write_text("defaults:\n  name: from-settings\n", encoding="utf-8")
    template = make_template(tmp_path, {"a.txt": "x"}, "name:\n  type: str\n  default: demo\n")
    rendered = render(template, tmp_path / "out", {}, pretend=False)
    assert {"name": "demo"} == dict(rendered.answers)
