//! A small Chrome DevTools Protocol client for browser tests: headless Chromium driven
//! over `--remote-debugging-pipe` (JSON messages ended by NUL on file descriptors 3 and
//! 4), so no WebSocket library, driver or port is needed.
//! Included by path (`#[path = "support/cdp.rs"] mod cdp;`).
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long one protocol call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// The Chromium to use: `INFRANGE_CHROMIUM`, else `chromium`, `chromium-browser`,
/// `google-chrome` on the PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("INFRANGE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// A headless Chromium with one page attached.
pub struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Every event received so far (method and params), in order.
    pub events: Vec<Value>,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium headless with the network off (an unreachable proxy, no name
    /// resolution, and the DevTools offline switch once a page is attached), and a
    /// `width`×`height` CSS-pixel viewport.
    pub fn launch(program: &Path, width: u32, height: u32) -> std::io::Result<Self> {
        let profile = tempfile::tempdir()?;
        let log = std::fs::File::create(profile.path().join("chromium.log"))?;
        // fd 3 is the browser's input, fd 4 its output: the shell moves the pipes there.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg(program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--remote-debugging-pipe",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.path().display()),
                "about:blank",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()?;
        let input = child.stdin.take().expect("piped stdin");
        let output = child.stdout.take().expect("piped stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(output);
            let mut buf = Vec::new();
            while r.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                if buf.last() == Some(&0) {
                    buf.pop();
                }
                if let Ok(v) = serde_json::from_slice::<Value>(&buf) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
                buf.clear();
            }
        });
        let mut b = Self {
            child,
            input,
            messages,
            next_id: 1,
            session: String::new(),
            events: Vec::new(),
            profile,
        };
        let targets = b.browser_call("Target.getTargets", json!({}))?;
        let page = targets["targetInfos"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["type"] == "page"))
            .map(|t| t["targetId"].clone());
        let target = match page {
            Some(id) => id,
            None => b.browser_call("Target.createTarget", json!({"url": "about:blank"}))?
                ["targetId"]
                .clone(),
        };
        let attached = b.browser_call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        )?;
        b.session = attached["sessionId"]
            .as_str()
            .ok_or_else(|| other("no session id"))?
            .to_owned();
        for domain in ["Page", "Runtime", "Log", "Network"] {
            b.call(&format!("{domain}.enable"), json!({}))?;
        }
        b.call(
            "Network.emulateNetworkConditions",
            json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )?;
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        Ok(b)
    }

    /// What Chromium wrote on standard error (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("chromium.log")).unwrap_or_default()
    }

    fn send(&mut self, method: &str, params: Value, session: bool) -> std::io::Result<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if session {
            msg["sessionId"] = json!(self.session);
        }
        let mut bytes = msg.to_string().into_bytes();
        bytes.push(0);
        self.input.write_all(&bytes)?;
        self.input.flush()?;
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if m["id"] == json!(id) => {
                    if let Some(e) = m.get("error") {
                        return Err(other(&format!("{method}: {e}")));
                    }
                    return Ok(m["result"].clone());
                }
                Ok(m) => {
                    if m.get("method").is_some() {
                        self.events.push(m);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(other(&format!("{method}: no answer in {CALL_TIMEOUT:?}")))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(other(&format!("{method}: the browser went away")))
                }
            }
        }
    }

    fn browser_call(&mut self, method: &str, params: Value) -> std::io::Result<Value> {
        self.send(method, params, false)
    }

    /// Calls a method on the page.
    pub fn call(&mut self, method: &str, params: Value) -> std::io::Result<Value> {
        self.send(method, params, true)
    }

    /// Opens a URL (it returns once navigation has started).
    pub fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}))
            .expect("Page.navigate");
    }

    /// Evaluates a JavaScript expression in the page; its value as JSON.
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
            )
            .expect("Runtime.evaluate");
        if let Some(e) = r.get("exceptionDetails") {
            panic!("`{expression}` threw: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Waits until `expression` is truthy; its value.
    pub fn wait_for(&mut self, expression: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.eval(&format!(
                "(() => {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})()"
            ));
            let truthy =
                !matches!(&v, Value::Null | Value::Bool(false)) && v != json!(0) && v != json!("");
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {timeout:?} waiting for `{expression}`; console: {:?}",
                    self.console_errors()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the page's next two animation frames (a redraw after a change).
    pub fn next_frames(&mut self) {
        self.eval(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
        );
    }

    fn mouse(&mut self, kind: &str, x: f64, y: f64, buttons: u32) {
        let button = if kind == "mouseMoved" { "none" } else { "left" };
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": x, "y": y, "button": button, "buttons": buttons,
                   "clickCount": if kind == "mouseMoved" { 0 } else { 1 }}),
        )
        .expect("Input.dispatchMouseEvent");
    }

    /// Moves the mouse to (`x`, `y`), CSS pixels from the viewport's top-left corner.
    pub fn hover(&mut self, x: f64, y: f64) {
        self.mouse("mouseMoved", x, y, 0);
    }

    /// Clicks at (`x`, `y`).
    pub fn click(&mut self, x: f64, y: f64) {
        self.mouse("mouseMoved", x, y, 0);
        self.mouse("mousePressed", x, y, 1);
        self.mouse("mouseReleased", x, y, 0);
    }

    /// Clicks the centre of the element a CSS selector finds.
    pub fn click_element(&mut self, selector: &str) {
        let sel = serde_json::to_string(selector).unwrap();
        let r = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; \
             e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        let (x, y) = match r.as_array() {
            Some(p) => (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()),
            None => panic!("no element {selector}"),
        };
        self.click(x, y);
    }

    /// Types text into the focused element, as a keyboard would.
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}))
            .expect("Input.insertText");
    }

    /// Presses a key such as `Enter` (with its Windows key code, e.g. 13).
    pub fn press(&mut self, key: &str, code: u32) {
        for kind in ["keyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key,
                       "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}),
            )
            .expect("Input.dispatchKeyEvent");
        }
    }

    /// Console errors, uncaught exceptions and error log entries seen so far (the
    /// browser is asked once more first, so late events are in).
    pub fn console_errors(&mut self) -> Vec<String> {
        let _ = self.call("Runtime.evaluate", json!({"expression": "0"}));
        self.events
            .iter()
            .filter_map(|e| {
                let p = &e["params"];
                match e["method"].as_str()? {
                    "Runtime.exceptionThrown" => {
                        Some(format!("exception: {}", p["exceptionDetails"]))
                    }
                    "Runtime.consoleAPICalled"
                        if matches!(p["type"].as_str(), Some("error" | "assert")) =>
                    {
                        Some(format!("console.{}: {}", p["type"], p["args"]))
                    }
                    "Log.entryAdded" if p["entry"]["level"] == "error" => {
                        Some(format!("log: {}", p["entry"]))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// The URLs the page requested.
    pub fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_owned))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.browser_call_quiet();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn browser_call_quiet(&mut self) -> std::io::Result<()> {
        let mut bytes = json!({"id": 0, "method": "Browser.close", "params": {}})
            .to_string()
            .into_bytes();
        bytes.push(0);
        self.input.write_all(&bytes)?;
        self.input.flush()
    }
}

fn other(msg: &str) -> std::io::Error {
    std::io::Error::other(msg.to_owned())
}

impl Browser {
    /// A PNG screenshot of the viewport.
    pub fn screenshot(&mut self, path: &Path) {
        use base64::Engine;
        let r = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .expect("Page.captureScreenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().expect("image data"))
            .expect("base64");
        std::fs::write(path, png).expect("screenshot written");
    }
}

impl Browser {
    /// A tap with one finger at (`x`, `y`).
    pub fn tap(&mut self, x: f64, y: f64) {
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({"enabled": true, "maxTouchPoints": 1}),
        )
        .expect("touch emulation");
        for (kind, points) in [
            ("touchStart", json!([{"x": x, "y": y}])),
            ("touchEnd", json!([])),
        ] {
            self.call(
                "Input.dispatchTouchEvent",
                json!({"type": kind, "touchPoints": points}),
            )
            .expect("Input.dispatchTouchEvent");
        }
    }
}
