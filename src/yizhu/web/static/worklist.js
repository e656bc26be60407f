/* yizhu worklists: partial updates without a page reload (served by the app itself, no CDN, no library).
   A form marked data-partial is posted with fetch and the header "X-Partial: row"; the server answers with
   the row's new HTML, which replaces the row (the nearest [data-row]). Without JavaScript the same form posts
   normally and the server redirects back to the page, so every action works either way. */
(function () {
  "use strict";
  function busy(form, on) {
    form.querySelectorAll("button").forEach(function (b) { b.disabled = on; });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-partial") || !window.fetch) { return; }
    var row = form.closest("[data-row]");
    if (!row) { return; }
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    busy(form, true);
    fetch(form.action, {
      method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
      headers: { "X-Partial": "row", "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (type.indexOf("text/html") !== 0) { throw new Error("unexpected answer " + response.status); }
      return response.text().then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var fresh = holder.content.querySelector("[data-row]");
        if (!fresh) { throw new Error("no row in answer"); }
        row.replaceWith(fresh);
        fresh.classList.add("just-decided");
        var status = document.getElementById("wl-status");
        if (status) { status.textContent = response.ok ? "已保存。" : "未保存，请按提示修改。"; }
      });
    }).catch(function () {
      busy(form, false);
      if (submitter && submitter.name) {  /* form.submit() sends no button: carry its value */
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = submitter.name; hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      form.submit();  /* fall back to the ordinary post */
    });
  });
})();
