//! The Content-Security-Policy of every page. Scripts run only from the site itself and inline
//! only with the nonce Leptos generates for each response (its hydration and resource
//! scripts carry it); WebAssembly may be compiled ('wasm-unsafe-eval', which wasm-bindgen's
//! loader needs); nothing else is loaded from elsewhere, nothing may frame a page, and forms
//! post only to the site. Styles allow inline `style` attributes (bar widths, tree indents),
//! which a nonce cannot cover; no style sheet comes from elsewhere.

/// The policy of a page rendered with `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         media-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of everything else (JSON, entry files, CSV): no script may run in it (an
/// uploaded file opened from the site cannot act as the site) and nothing may frame it. Not
/// `default-src 'none'`: that would also stop the browser's own PDF viewer.
pub const OTHER_POLICY: &str = "script-src 'none'; frame-ancestors 'none'";

/// HSTS, sent when the platform is served over https: browsers then refuse plain http for a
/// year.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_only_their_own_scripts_and_the_nonce() {
        let p = page_policy("abc123");
        assert!(p.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!p.contains("unsafe-eval'") || p.contains("'wasm-unsafe-eval'"));
        assert!(!p.contains("script-src 'self' 'unsafe-inline'"));
        assert!(p.contains("frame-ancestors 'none'") && p.contains("object-src 'none'"));
    }
}
