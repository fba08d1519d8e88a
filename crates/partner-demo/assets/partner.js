// The demo partner's page script: listens to the onboarding form in the iframe and redeems HANDOFF codes
// through this site's own server. Every message is checked: the sender's origin AND window, then the
// envelope's source and version; anything else is ignored.
(function () {
  "use strict";
  var frame = document.getElementById("onboarding-frame");
  var formOrigin = new URL(frame.src).origin;
  var status = document.getElementById("partner-status");
  var events = document.getElementById("partner-events");

  function record(type) {
    var item = document.createElement("li");
    item.textContent = type;
    item.setAttribute("data-event", type);
    events.appendChild(item);
  }

  function showUser(user) {
    document.getElementById("partner-user-id").textContent = user.user_id;
    document.getElementById("partner-user-email").textContent = user.email || "—";
    document.getElementById("partner-user").hidden = false;
    status.textContent = "Signed in: our server redeemed the code and read user " + user.user_id + " back from finAPI.";
  }

  function redeem(code) {
    status.textContent = "Redeeming the handoff code on our server…";
    fetch("/exchange", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: code })
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (result.ok) { showUser(result.body); } else { status.textContent = "The exchange failed: " + result.body.error; }
      })
      .catch(function () { status.textContent = "Our server could not be reached."; });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== formOrigin || event.source !== frame.contentWindow) { return; }
    var message = event.data;
    if (!message || message.source !== "finapi-onboarding" || message.version !== 1) { return; }
    record(message.type);
    if (message.type === "READY") { status.textContent = "The form is ready."; }
    if (message.type === "HANDOFF" && message.payload && typeof message.payload.code === "string") {
      redeem(message.payload.code);
    }
    if (message.type === "EXIT") { status.textContent = "The person left the form."; }
  });
})();
