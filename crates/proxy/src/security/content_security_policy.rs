//! The Content-Security-Policy of the form's pages: no `unsafe-inline`, no `unsafe-eval`.
//!
//! Trunk bootstraps the wasm with one small inline module script; instead of allowing inline scripts,
//! the proxy reads the built `index.html` at start-up and allows exactly that script by its SHA-256 hash.
//! `frame-ancestors` lists the partner origins allowed to embed the form (`'self'` when there are none).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn policy(inline_script_hashes: &[String], parent_origins: &[String]) -> String {
    let scripts: String = inline_script_hashes.iter().map(|hash| format!(" '{hash}'")).collect();
    let ancestors = if parent_origins.is_empty() {
        "'self'".to_owned()
    } else {
        parent_origins.join(" ")
    };
    [
        "default-src 'none'".to_owned(),
        format!("script-src 'self' 'wasm-unsafe-eval'{scripts}"),
        "style-src 'self'".to_owned(),
        "img-src 'self' data:".to_owned(),
        "font-src 'self'".to_owned(),
        "connect-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        format!("frame-ancestors {ancestors}"),
    ]
    .join("; ")
}

/// `sha256-…` sources for every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag_name = &rest[start..];
        let Some(open_end) = after_tag_name.find('>') else {
            break;
        };
        let opening_tag = &after_tag_name[..open_end];
        let body_and_more = &after_tag_name[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !opening_tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            hashes.push(format!("sha256-{}", STANDARD.encode(digest)));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts_exactly() {
        let html = r#"<head><script src="/a.js"></script><script type="module">init()</script></head>"#;
        let expected = format!("sha256-{}", STANDARD.encode(Sha256::digest(b"init()")));
        assert_eq!(inline_script_hashes(html), [expected]);
    }

    #[test]
    fn policy_forbids_inline_and_names_the_parents() {
        let p = policy(&["sha256-x".into()], &["https://partner.example".into()]);
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-x'"));
        assert!(p.contains("frame-ancestors https://partner.example"));
        assert!(!p.contains("unsafe-inline") && !p.contains("'unsafe-eval'"));
        assert!(policy(&[], &[]).contains("frame-ancestors 'self'"));
    }
}
