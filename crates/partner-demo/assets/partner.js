// The demo partner's page script, as a partner would write it: the onboarding server's loader
// (FinapiOnboarding, loaded just before this file) puts the form in the page and checks every message's
// origin and window; this script shows the events and has this site's own server redeem the HANDOFF code.
(function () {
  "use strict";
  var status = document.getElementById("partner-status");
  var events = document.getElementById("partner-events");
  var restart = document.getElementById("partner-restart");

  function record(type, payload) {
    // RESIZE is informational and frequent: shown once, as the latest height.
    if (type === "RESIZE") {
      document.getElementById("partner-height").textContent = payload.height + " px";
      return;
    }
    var item = document.createElement("li");
    // The handoff code is not shown: it is a one-time credential for this site's server only.
    item.textContent = payload.step ? type + " (" + payload.step + ")" : type;
    item.setAttribute("data-event", type);
    events.appendChild(item);
  }

  function showUser(user) {
    document.getElementById("partner-user-id").textContent = user.user_id;
    document.getElementById("partner-user-email").textContent = user.email || "—";
    document.getElementById("partner-user").hidden = false;
    status.textContent = "Signed in: our server redeemed the code and read user " + user.user_id + " back from finAPI.";
  }

  function redeem(handoff) {
    status.textContent = "Redeeming the handoff code on our server…";
    fetch("/exchange", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: handoff.code })
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (result.ok) { showUser(result.body); } else { status.textContent = "The exchange failed: " + result.body.error; }
      })
      .catch(function () { status.textContent = "Our server could not be reached."; });
  }

  function start() {
    FinapiOnboarding.create({
      target: "#onboarding-slot",
      language: document.documentElement.getAttribute("data-form-language") || "en",
      theme: { base: "light", brandColor: "#14532d", borderRadius: "10px" },
      title: "Beispiel Bank: open your account with finAPI",
      onEvent: record,
      onReady: function () { status.textContent = "The form is ready."; },
      onSuccess: redeem,
      onExit: function (exit) { status.textContent = "The person left the form at: " + exit.status + "."; }
    }).open();
  }

  // The loader keeps one instance per page: creating again replaces (destroys) the old frame.
  restart.addEventListener("click", function () {
    events.textContent = "";
    status.textContent = "Waiting for the form…";
    start();
  });
  start();
})();
