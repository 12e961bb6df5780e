// Rongtuk portal: small enhancements only; every form works without this file.
(function () {
  "use strict";
  // "anonymous": the identity fields are disabled (so nothing in them is sent) and hidden
  function followAnonymous() {
    var anonymous = document.getElementById("f-anonymous");
    var identity = document.getElementById("identity");
    if (!anonymous || !identity) { return; }
    var inputs = identity.querySelectorAll("input");
    function apply() {
      var off = anonymous.checked;
      identity.hidden = off;
      for (var i = 0; i < inputs.length; i++) { inputs[i].disabled = off; }
    }
    var radios = document.querySelectorAll("input[name=anonymous]");
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", apply); }
    apply();
  }
  // the letter's register number and date: shown for letters only
  function followChannel() {
    var channel = document.getElementById("f-channel");
    var letter = document.getElementById("letter-fields");
    if (!channel || !letter) { return; }
    function apply() { letter.hidden = channel.value !== "letter" && !letter.querySelector("[aria-invalid]"); }
    channel.addEventListener("change", apply);
    apply();
  }
  // a page with errors: focus their summary, so a screen reader reads them first
  function focusErrors() {
    var errors = document.getElementById("errors");
    if (errors) { errors.focus(); }
  }
  // a submitted form cannot be sent twice by a double click
  function onceOnly() {
    var forms = document.querySelectorAll("form[method=post]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].getAttribute("action").indexOf("/document") !== -1) { continue; }  // a download stays on the page
      forms[i].addEventListener("submit", function (event) {
        var form = event.target;
        if (form.dataset.sent) { event.preventDefault(); return; }
        form.dataset.sent = "1";
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    followAnonymous(); followChannel(); focusErrors(); onceOnly();
  });
}());
