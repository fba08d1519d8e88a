//! The whole product on random loopback ports, a headless Chromium driven through WebDriver, and a
//! recording HTTP proxy between the browser and every server, so a test can check every byte the
//! browser received.

#![allow(dead_code)]

pub mod browser;
pub mod recording_proxy;
pub mod stack;
