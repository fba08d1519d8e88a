//! The demo partner's page, script and style. Static files: no inline script or style.

pub const SCRIPT: &str = include_str!("../assets/partner.js");
pub const STYLE: &str = include_str!("../assets/partner.css");

/// The page. `form_url` is the onboarding server: the loader script comes from there and creates the
/// form's iframe inside `#onboarding-slot`.
pub fn html(form_url: &str) -> String {
    let loader = format!("{}/loader/v1.js", form_url.trim_end_matches('/'));
    format!(
        r#"<!doctype html>
<html lang="en" data-form-language="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Beispiel Bank – open an account (demo partner)</title>
<link rel="stylesheet" href="/partner.css">
<script src="{loader}" defer></script>
<script src="/partner.js" defer></script>
</head>
<body>
<header><strong>Beispiel Bank</strong> <span class="tag">demo partner site</span></header>
<main>
<h1>Open your account</h1>
<p>This page plays the partner that embeds the finAPI onboarding form with the loader script, a custom theme
and a strict Content-Security-Policy. It shows the form's events and, on <code>HANDOFF</code>, has its own
server redeem the one-time code and read the user back from finAPI.</p>
<div class="layout">
<div id="onboarding-slot"></div>
<aside>
<h2>What the partner received</h2>
<p id="partner-status" role="status">Waiting for the form…</p>
<dl id="partner-user" hidden>
<dt>finAPI user id</dt><dd id="partner-user-id"></dd>
<dt>Email</dt><dd id="partner-user-email"></dd>
</dl>
<h2>Events from the form</h2>
<ol id="partner-events"></ol>
<p>Frame height (from <code>RESIZE</code>): <span id="partner-height">—</span></p>
<p><button type="button" id="partner-restart">Start again</button></p>
</aside>
</div>
</main>
</body>
</html>
"#,
        loader = html_attribute(&loader)
    )
}

fn html_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}
