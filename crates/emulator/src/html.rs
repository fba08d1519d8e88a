//! The HTML the emulator shows a person: the pretend bank login of a web form, and message pages.
//!
//! No script and no inline style: a strict Content-Security-Policy goes with every page, and the only
//! stylesheet is served from the emulator itself.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where the pages' stylesheet is served.
pub const STYLESHEET_PATH: &str = "/assets/webform.css";

pub const STYLESHEET: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f3f5f7;color:#1c2530}
main{max-width:28rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin-top:0}
.emulator{font-size:.85rem;color:#5a6572;border-left:4px solid #f0ad4e;padding:.25rem .75rem;background:#fff8e6}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #8a96a3;border-radius:4px}
input:focus,button:focus{outline:3px solid #1d70b8;outline-offset:1px}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{padding:.6rem 1.2rem;font-size:1rem;border-radius:4px;border:1px solid #1d70b8;cursor:pointer}
button.primary{background:#1d70b8;color:#fff}
button.secondary{background:#fff;color:#1d70b8}
.error{color:#b00020;border-left:4px solid #b00020;padding:.25rem .75rem;background:#fdecee}
.hint{font-size:.9rem;color:#5a6572}
";

/// Escapes text for HTML content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The Content-Security-Policy of a page. `redirect_origin` is added to `form-action` because browsers
/// apply `form-action` to the redirect that follows a form submission, and a finished web form redirects
/// to the partner's `redirectUrl`.
pub fn content_security_policy(redirect_origin: Option<&str>) -> String {
    let form_action = match redirect_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    )
}

/// The origin of a redirect URL, in the form CSP expects (`https://host[:port]`), if it has one.
pub fn origin_of(url: &str) -> Option<String> {
    let origin = reqwest::Url::parse(url).ok()?.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// A complete page with the emulator's security headers.
pub fn page(status: StatusCode, title: &str, main: &str, redirect_origin: Option<&str>) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} – finAPI emulator Web Form</title>\n\
         <link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\">\n</head>\n<body>\n<main>\n\
         <p class=\"emulator\">finAPI emulator – a local stand-in for finAPI Web Form 2.0. No real bank is contacted.</p>\n\
         {main}\n</main>\n</body>\n</html>\n",
        title = escape(title),
    );
    let mut response = (status, body).into_response();
    let csp = content_security_policy(redirect_origin);
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, "text/html; charset=utf-8");
    set(header::CONTENT_SECURITY_POLICY, &csp);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::CACHE_CONTROL, "no-store");
    response
}

/// The pretend bank login: "Online banking ID", "PIN", "Connect bank", "Cancel". `error` is shown above
/// the fields after wrong credentials; the typed ID is kept, the PIN never.
pub fn bank_login_page(web_form_id: &str, error: Option<&str>, login: &str, redirect_origin: Option<&str>) -> Response {
    let (error_html, described_by) = match error {
        Some(message) => (
            format!(
                "<p class=\"error\" id=\"login-error\" role=\"alert\">{}</p>\n",
                escape(message)
            ),
            " aria-describedby=\"login-error\" aria-invalid=\"true\"",
        ),
        None => (String::new(), ""),
    };
    let main = format!(
        "<h1>finAPI emulator Web Form: connect your bank</h1>\n\
         <p>Bank: <strong>finAPI Test Bank</strong> (BLZ DEMO0001)</p>\n\
         {error_html}\
         <form method=\"post\" action=\"/wf/{id}\">\n\
         <label for=\"login\">Online banking ID</label>\n\
         <input id=\"login\" name=\"login\" type=\"text\" autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\" value=\"{login}\" required{described_by}>\n\
         <label for=\"pin\">PIN</label>\n\
         <input id=\"pin\" name=\"pin\" type=\"password\" autocomplete=\"off\" required{described_by}>\n\
         <p class=\"hint\">The finAPI Test Bank accepts the online banking ID <kbd>demo</kbd> with the PIN <kbd>demo</kbd>. To try a failing bank, use <kbd>demo_error</kbd> / <kbd>demo_error</kbd>.</p>\n\
         <div class=\"actions\">\n\
         <button class=\"primary\" type=\"submit\" name=\"action\" value=\"connect\">Connect bank</button>\n\
         <button class=\"secondary\" type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button>\n\
         </div>\n</form>",
        id = escape(web_form_id),
        login = escape(login),
    );
    page(StatusCode::OK, "Connect your bank", &main, redirect_origin)
}

/// A page with a heading and one paragraph (results and errors).
pub fn message_page(status: StatusCode, heading: &str, text: &str, redirect_origin: Option<&str>) -> Response {
    let main = format!("<h1>{}</h1>\n<p>{}</p>", escape(heading), escape(text));
    page(status, heading, &main, redirect_origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn csp_allows_the_redirect_origin_only() {
        assert_eq!(
            origin_of("https://partner.example:8443/done?x=1").as_deref(),
            Some("https://partner.example:8443")
        );
        let csp = content_security_policy(Some("https://partner.example"));
        assert!(csp.contains("form-action 'self' https://partner.example;"));
        assert!(content_security_policy(None).contains("form-action 'self';"));
    }
}
