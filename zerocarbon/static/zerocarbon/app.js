// The pages' one script of their own (the content security policy allows no inline script).
// A failed htmx request in the answers editor shows the form's request-error notice.
document.addEventListener("htmx:responseError", (event) => {
  const form = event.target instanceof Element ? event.target.closest("#answers-form") : null;
  const notice = document.getElementById("answers-request-error");
  if (form && notice) {
    notice.hidden = false;
  }
});
