/*! finAPI onboarding loader, message contract version 1. No dependencies; works under a strict CSP.
 *
 *   <script src="https://onboarding.example/loader/v1.js"></script>
 *   var onboarding = FinapiOnboarding.create({
 *     target: "#onboarding",              // an element or a selector: where the iframe goes
 *     tenant: "acme",                     // optional: the tenant id (the form at /t/acme/)
 *     language: "de",                     // optional: de, en, cs, es, fr, it, nl, pl, ro, sk, tr
 *     theme: { base: "dark", brandColor: "#0b6e4f" },  // optional, see the README
 *     title: "Open your account",         // optional: the iframe's accessible title
 *     onReady: function () {},
 *     onEvent: function (type, payload) {},           // every event, informational ones included
 *     onSuccess: function (handoff) {},               // {code}: redeem it on your server
 *     onExit: function (exit) {}                      // {status: the step the person left from}
 *   });
 *   onboarding.open();
 *   onboarding.destroy();                 // removes the iframe and every listener; safe to call twice
 *
 * Every message is checked twice before it counts: it must come from the form's origin (the origin this
 * script was loaded from) AND from the window of the iframe this loader created.
 */
(function (global) {
  "use strict";

  var SOURCE = "finapi-onboarding";
  var VERSION = 1;
  /** No frame stuck at a few pixels: the height never drops below this until the form reports its own. */
  var MIN_HEIGHT = 320;
  var MAX_HEIGHT = 10000;
  var THEME_BASES = ["light", "dark"];
  var THEME_VARIABLES = {
    brandColor: "brand",
    textColor: "text",
    backgroundColor: "background",
    borderRadius: "radius",
    fontFamily: "font",
    spacing: "spacing"
  };
  var DEFAULT_TITLES = {
    de: "finAPI: Konto anlegen",
    en: "finAPI: create your account",
    cs: "finAPI: vytvoření účtu",
    es: "finAPI: crear una cuenta",
    fr: "finAPI : création de compte",
    it: "finAPI: creazione dell’account",
    nl: "finAPI: account aanmaken",
    pl: "finAPI: zakładanie konta",
    ro: "finAPI: crearea contului",
    sk: "finAPI: vytvorenie účtu",
    tr: "finAPI: hesap oluşturma"
  };

  var script = document.currentScript;
  var formOrigin = script && script.src ? new URL(script.src).origin : null;
  /** One instance per page: a second `create` replaces the first. */
  var current = null;

  function element(target) {
    var found = typeof target === "string" ? document.querySelector(target) : target;
    if (!found || typeof found.appendChild !== "function") {
      throw new Error("FinapiOnboarding.create: `target` must be an element or a selector that finds one");
    }
    return found;
  }

  function formAddress(options) {
    var path = "/";
    if (options.tenant !== undefined) {
      if (!/^[a-z0-9-]{1,32}$/.test(options.tenant)) {
        throw new Error("FinapiOnboarding.create: `tenant` must be a tenant id (a-z, 0-9, -)");
      }
      path = "/t/" + options.tenant + "/";
    }
    var query = new URLSearchParams();
    query.set("parent", global.location.origin);
    if (options.language) { query.set("lang", String(options.language)); }
    appendTheme(query, options.theme);
    return formOrigin + path + "?" + query.toString();
  }

  /** Only the known theme keys travel; the form checks each value again against its safe list. */
  function appendTheme(query, theme) {
    if (!theme) { return; }
    if (typeof theme === "string") { theme = { base: theme }; }
    if (THEME_BASES.indexOf(theme.base) >= 0) { query.set("theme", theme.base); }
    Object.keys(THEME_VARIABLES).forEach(function (key) {
      if (theme[key] !== undefined && theme[key] !== null) { query.set(THEME_VARIABLES[key], String(theme[key])); }
    });
  }

  function call(callback) {
    if (typeof callback !== "function") { return; }
    var args = Array.prototype.slice.call(arguments, 1);
    try {
      callback.apply(null, args);
    } catch (error) {
      // A partner's callback that throws must not stop the next event from arriving.
      setTimeout(function () { throw error; });
    }
  }

  function create(options) {
    options = options || {};
    if (!formOrigin) {
      throw new Error("FinapiOnboarding: load this script with <script src>, from the onboarding server");
    }
    if (current) { current.destroy(); }
    var target = element(options.target);
    var src = formAddress(options);
    // The frame title in the language the form will choose: the option, else the browser's.
    var language = String(options.language || navigator.language || "de").slice(0, 2).toLowerCase();
    var frame = null;
    var destroyed = false;

    function emit(type, payload) {
      call(options.onEvent, type, payload || {});
    }

    function onMessage(event) {
      if (!frame || event.origin !== formOrigin || event.source !== frame.contentWindow) { return; }
      var message = event.data;
      if (!message || message.source !== SOURCE || message.version !== VERSION || typeof message.type !== "string") {
        return;
      }
      var payload = message.payload && typeof message.payload === "object" ? message.payload : {};
      if (message.type === "RESIZE") {
        var height = Number(payload.height);
        if (isFinite(height) && height > 0) {
          frame.style.height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height))) + "px";
        }
      }
      emit(message.type, payload);
      if (message.type === "READY") { call(options.onReady); }
      if (message.type === "HANDOFF" && typeof payload.code === "string") { call(options.onSuccess, { code: payload.code }); }
      if (message.type === "EXIT") { call(options.onExit, { status: payload.step || payload.status || "unknown" }); }
    }

    var instance = {
      /** Puts the form in the page (once) and reports `OPEN`. */
      open: function () {
        if (destroyed || frame) { return instance; }
        frame = document.createElement("iframe");
        frame.src = src;
        frame.title = String(options.title || DEFAULT_TITLES[language] || DEFAULT_TITLES.en);
        frame.setAttribute("data-finapi-onboarding", String(VERSION));
        frame.style.width = "100%";
        frame.style.border = "0";
        frame.style.display = "block";
        frame.style.height = MIN_HEIGHT + "px";
        global.addEventListener("message", onMessage);
        target.appendChild(frame);
        emit("OPEN", {});
        return instance;
      },
      /** Removes the iframe and the listener. Idempotent. */
      destroy: function () {
        if (destroyed) { return; }
        destroyed = true;
        global.removeEventListener("message", onMessage);
        if (frame && frame.parentNode) { frame.parentNode.removeChild(frame); }
        frame = null;
        if (current === instance) { current = null; }
      }
    };
    current = instance;
    return instance;
  }

  global.FinapiOnboarding = Object.freeze({ version: VERSION, create: create });
})(window);
