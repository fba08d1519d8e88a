//! The demo partner's page, script and style. Static files: no inline script or style.

pub const SCRIPT: &str = include_str!("../assets/partner.js");
pub const STYLE: &str = include_str!("../assets/partner.css");

pub fn html(form_url: &str, own_origin: &str) -> String {
    let src = format!(
        "{}/?lang=en&parent={}",
        form_url.trim_end_matches('/'),
        encode_query_value(own_origin)
    );
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Beispiel Bank – open an account (demo partner)</title>
<link rel="stylesheet" href="/partner.css">
<script src="/partner.js" defer></script>
</head>
<body>
<header><strong>Beispiel Bank</strong> <span class="tag">demo partner site</span></header>
<main>
<h1>Open your account</h1>
<p>This page plays the partner that embeds the finAPI onboarding form. It listens to the form's messages and, on
<code>HANDOFF</code>, has its own server redeem the one-time code and read the user back from finAPI.</p>
<div class="layout">
<iframe id="onboarding-frame" title="finAPI onboarding: create your account" src="{src}"></iframe>
<aside>
<h2>What the partner received</h2>
<p id="partner-status" role="status">Waiting for the form…</p>
<dl id="partner-user" hidden>
<dt>finAPI user id</dt><dd id="partner-user-id"></dd>
<dt>Email</dt><dd id="partner-user-email"></dd>
</dl>
<h2>Messages from the form</h2>
<ol id="partner-events"></ol>
</aside>
</div>
</main>
</body>
</html>
"#,
        src = html_attribute(&src)
    )
}

fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn html_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}
