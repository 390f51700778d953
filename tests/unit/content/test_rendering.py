"""Markdown is rendered once at load: safe, structured, with local links pointing at assets."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content import ItemKind, QuestionType, ShowAnswers, load_content
from tests.unit.content.conftest import COURSE_YAML, QUIZ_YAML, MakeRoot

LESSON = "courses/demo/welcome.md"


def lesson_html(
    make_root: MakeRoot, body: str, extra: dict[str, str | bytes | None] | None = None
) -> str:
    root = make_root({LESSON: f"---\ntitle: Welcome\nminutes: 7\n---\n{body}", **(extra or {})})
    load = load_content(root)
    assert not load.has_errors, load.problems
    return load.catalog.courses["demo"].lessons["welcome"].html.get("en")


def test_raw_html_is_shown_as_text_never_passed_through(make_root: MakeRoot) -> None:
    html = lesson_html(make_root, '<script>alert("x")</script>\n\n<b onclick="x()">bold</b>\n')
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<b " not in html


def test_javascript_links_are_not_rendered_as_links(make_root: MakeRoot) -> None:
    html = lesson_html(make_root, "[click](javascript:alert(1))\n")
    assert 'href="javascript' not in html


def test_sections_written_at_two_hashes_are_h2_and_no_level_is_skipped(
    make_root: MakeRoot,
) -> None:
    html = lesson_html(make_root, "## Care\n\ntext\n\n#### Detail\n\n### Aside\n\n## Research\n")
    headings = re.findall(r"<(h[1-6]) id=\"([a-z-]+)\">", html)
    # The highest written level is h2, under the page's h1; #### right after ## becomes h3.
    assert headings == [("h2", "care"), ("h3", "detail"), ("h3", "aside"), ("h2", "research")]
    assert "<h4" not in html


def test_call_outs_tables_footnotes_and_anchors(make_root: MakeRoot) -> None:
    body = (
        "# Partnership levels\n\n"
        "::: warning\nMind the **tokenism** trap.\n:::\n\n"
        "| Level | Example |\n|---|---|\n| Consultation | A survey |\n\n"
        "A claim.[^src]\n\n[^src]: Pomey et al., 2015.\n"
    )
    html = lesson_html(make_root, body)
    # The page title is the h1, so lesson headings start at h2.
    assert '<h2 id="partnership-levels">Partnership levels</h2>' in html
    assert '<aside class="callout callout-warning">' in html
    assert '<p class="callout-label">Warning</p>' in html
    assert "<strong>tokenism</strong>" in html
    # Inside a named region the keyboard can scroll, so that cells wrap at spaces only.
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Table 1">' in html
    assert "<table>" in html
    assert "<td>Consultation</td>" in html
    assert 'class="footnotes"' in html
    assert "Pomey et al., 2015." in html


def test_call_out_label_follows_the_lesson_language(make_root: MakeRoot) -> None:
    root = make_root()
    course = load_content(root).catalog.courses["demo"]
    assert "À noter" in course.lessons["welcome"].html.get("fr")
    assert "Note" in course.lessons["welcome"].html.get("en")


def test_local_images_point_at_served_assets(make_root: MakeRoot) -> None:
    svg = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    html = lesson_html(
        make_root,
        "![The continuum](media/continuum.en.svg)\n",
        {"courses/demo/media/continuum.en.svg": svg},
    )
    assert '<img src="assets/media/continuum.en.svg" alt="The continuum"' in html


def test_a_figure_opens_full_size_unless_the_author_linked_it(make_root: MakeRoot) -> None:
    svg = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    html = lesson_html(
        make_root,
        "![Figure](media/f.svg)\n\n[![Linked](media/f.svg)](https://example.org)\n",
        {"courses/demo/media/f.svg": svg},
    )
    assert '<a class="figure-link" href="assets/media/f.svg"><img src="assets/media/f.svg"' in html
    assert '<a href="https://example.org"><img src="assets/media/f.svg" alt="Linked"' in html
    assert html.count("figure-link") == 1


def test_links_between_lessons_point_at_the_item(make_root: MakeRoot) -> None:
    html = lesson_html(make_root, "Back to [the start](welcome.md#hello).\n")
    assert '<a href="welcome#hello">the start</a>' in html


def test_video_is_a_player_with_captions_in_each_language(make_root: MakeRoot) -> None:
    html = lesson_html(
        make_root,
        "![A patient's story](media/story.mp4)\n",
        {
            "courses/demo/media/story.mp4": b"\x00",
            "courses/demo/media/story.en.vtt": "WEBVTT\n",
            "courses/demo/media/story.fr.vtt": "WEBVTT\n",
        },
    )
    assert '<video controls preload="metadata" src="assets/media/story.mp4"' in html
    assert 'srclang="en" label="English" src="assets/media/story.en.vtt" default' in html
    assert 'srclang="fr" label="Français" src="assets/media/story.fr.vtt"' in html


def test_only_linked_files_are_assets(make_root: MakeRoot) -> None:
    root = make_root(
        {
            LESSON: "---\ntitle: Welcome\n---\n![fig](media/fig.png)\n",
            "courses/demo/media/fig.png": b"png",
            "courses/demo/media/unused.png": b"png",
        }
    )
    course = load_content(root).catalog.courses["demo"]
    assert course.assets == frozenset({"media/fig.png"})


def test_the_course_is_read_into_the_model(make_root: MakeRoot) -> None:
    root = make_root()
    catalog = load_content(root).catalog
    course = catalog.courses["demo"]
    assert course.title.get("fr") == "Cours démo"
    assert course.title.get("en") == "Demo course"
    assert course.languages == ("en", "fr")
    assert course.default_language == "en"
    assert [(i.key, i.kind) for i in course.items()] == [
        ("welcome", ItemKind.LESSON),
        ("final.quiz", ItemKind.QUIZ),
    ]
    assert course.lessons["welcome"].title.get("fr") == "Bienvenue"
    assert course.lessons["welcome"].minutes == 5
    quiz = course.quizzes["final"]
    assert (quiz.pass_mark, quiz.max_attempts, quiz.shuffle, quiz.draw) == (80, 3, False, None)
    assert quiz.show_answers is ShowAnswers.AFTER_SUBMIT
    assert [q.type for q in quiz.questions] == [QuestionType.SINGLE, QuestionType.TRUE_FALSE]
    assert [c.correct for c in quiz.questions[0].choices] == [True, False]
    assert quiz.questions[1].answer is True
    assert catalog.certificates["demo"].requires == ("demo",)


def test_every_question_type_is_read(make_root: MakeRoot) -> None:
    quiz = (
        QUIZ_YAML
        + """\
  - id: pick-some
    type: multiple
    prompt: {en: "Pick", fr: "Choisir"}
    points: 2
    choices:
      - {text: {en: "A", fr: "A"}, correct: true}
      - {text: {en: "B", fr: "B"}, correct: true}
      - {text: {en: "C", fr: "C"}}
  - id: posture
    type: text
    prompt: {en: "Name it", fr: "Nommez-la"}
    accept: {en: ["co-construction"], fr: ["co-construction", "coconstruction"]}
  - id: experience
    type: reflection
    prompt: {en: "Tell us", fr: "Racontez"}
"""
    )
    root = make_root({"courses/demo/final.quiz.yaml": quiz})
    load = load_content(root)
    assert load.problems == ()
    questions = {q.id: q for q in load.catalog.courses["demo"].quizzes["final"].questions}
    assert questions["pick-some"].points == 2
    assert questions["posture"].accepted_answers("fr") == ("co-construction", "coconstruction")
    assert questions["experience"].points == 0


def test_content_version_changes_with_any_file(make_root: MakeRoot) -> None:
    root = make_root()
    before = load_content(root).catalog.courses["demo"].version
    assert load_content(root).catalog.courses["demo"].version == before
    (root / "courses/demo/welcome.fr.md").write_text(
        "---\ntitle: Bienvenue\n---\nAutre texte.\n", encoding="utf-8"
    )
    assert load_content(root).catalog.courses["demo"].version != before


def test_estimated_minutes_defaults_to_the_lessons_minutes(make_root: MakeRoot) -> None:
    root = make_root(
        {"courses/demo/course.yaml": COURSE_YAML.replace("estimated_minutes: 20\n", "")}
    )
    assert load_content(root).catalog.courses["demo"].estimated_minutes == 5


def test_a_course_with_errors_is_left_out_and_the_others_served(make_root: MakeRoot) -> None:
    other = COURSE_YAML.replace("id: demo", "id: other").replace(
        "languages: [en, fr]", "languages: [fr]"
    )
    root = make_root(
        {
            "courses/other/course.yaml": other,
            "courses/other/welcome.md": "---\ntitle: Bienvenue\n---\n![x](missing.png)\n",
            "courses/other/final.quiz.yaml": QUIZ_YAML,
        }
    )
    load = load_content(root)
    assert load.has_errors
    assert list(load.catalog.courses) == ["demo"]


def test_a_folder_without_course_yaml_is_ignored(make_root: MakeRoot, tmp_path: Path) -> None:
    root = make_root({"courses/drafts/notes.md": "just notes\n"})
    load = load_content(root)
    assert load.problems == ()
    assert list(load.catalog.courses) == ["demo"]
