// The review before grading, on the attempt's page: the summary the review page gives
// (lms/quizzes/templates/quizzes/review.html), in a dialog, without leaving the answers.
// Without this script, "Submit my answers" leads to that page instead.
"use strict";

function isAnswered(question) {
  return Array.from(question.querySelectorAll("input, textarea")).some((field) =>
    field.type === "radio" || field.type === "checkbox" ? field.checked : field.value.trim() !== "",
  );
}

function questionLink(question, dialog) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = `#${question.id}`;
  link.textContent = question.querySelector(".question-number").textContent;
  link.addEventListener("click", () => dialog.close());
  item.append(link);
  return item;
}

function fill(form, dialog) {
  const questions = Array.from(form.querySelectorAll("fieldset.question"));
  const missing = questions.filter((question) => !isAnswered(question));
  const answered = questions.length - missing.length;
  dialog.querySelector("[data-summary]").textContent = dialog.dataset.count.replace(
    "{answered}",
    String(answered),
  );
  dialog.querySelector("[data-unanswered] ul").replaceChildren(
    ...missing.map((question) => questionLink(question, dialog)),
  );
  dialog.querySelector("[data-unanswered]").hidden = missing.length === 0;
  dialog.querySelector("[data-none]").hidden = answered !== 0;
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("attempt-form");
  const dialog = document.getElementById("review-dialog");
  if (!form || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  form.addEventListener("submit", (event) => {
    if (!event.submitter || event.submitter.value !== "review") {
      return;
    }
    event.preventDefault();
    fill(form, dialog);
    dialog.showModal();
  });
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
});
