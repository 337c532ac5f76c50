//! Memory stays bounded under a flood: the portal binary is started, its resident memory read
//! from /proc before and after a flood of bad sign-ins and oversized bodies, the figures
//! printed, and the growth held to a generous bound (a bound on memory, not on time).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use portal_emulator::passwords::{hashing_permits, WORK_AREA_BYTES};

const MIB: u64 = 1024 * 1024;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `/proc/<pid>/status` field in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"));
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// Sends one request on its own connection and reads the whole answer; errors (a connection
/// the portal closed early) count as answered.
fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> String {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    if stream.write_all(head.as_bytes()).is_err() || stream.write_all(body).is_err() {
        return String::new();
    }
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn form(path: &str, body: &str) -> (String, Vec<u8>) {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    (head, body.as_bytes().to_vec())
}

/// Runs `jobs` requests from `threads` threads at once.
fn flood(addr: SocketAddr, threads: usize, jobs: usize, make: fn(usize) -> (String, Vec<u8>)) {
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            std::thread::spawn(move || {
                for i in (t..jobs).step_by(threads) {
                    let (head, body) = make(i);
                    exchange(addr, &head, &body);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn memory_stays_bounded_under_a_flood_of_bad_sign_ins_and_large_bodies() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portal-emulator"))
        .args([
            "serve",
            "--data",
            ":memory:",
            "--admin",
            "flood_admin:flood-password-1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let pid = running.0.id();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap();
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (head, body) = form(
        "/sharing/rest/generateToken",
        "username=flood_admin&password=x&f=json",
    );
    assert!(exchange(addr, &head, &body).contains("Invalid username or password."));
    let before = status_bytes(pid, "VmRSS");

    const SIGN_INS: usize = 300;
    const BODIES: usize = 200;
    // Bad sign-ins: the administrator (locked after five) and ever new unknown names (each
    // costs a full password check).
    flood(addr, 16, SIGN_INS, |i| {
        let user = if i % 3 == 0 {
            "flood_admin".to_string()
        } else {
            format!("nobody{i}")
        };
        form(
            "/sharing/rest/generateToken",
            &format!("username={user}&password=wrong-{i}&f=json"),
        )
    });
    let after_sign_ins = status_bytes(pid, "VmRSS");
    // Large bodies: declared at 64 MiB (refused before reading), and sent chunked past every
    // limit (refused once past it).
    flood(addr, 16, BODIES, |i| {
        if i % 2 == 0 {
            let head = "POST /sharing/rest/community/users HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                        Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                        Content-Length: 67108864\r\n\r\n"
                .to_string();
            (head, vec![b'a'; 256 * 1024])
        } else {
            let head = "POST /sharing/rest/community/users/flood_admin/update HTTP/1.1\r\n\
                        Host: 127.0.0.1\r\nConnection: close\r\n\
                        Content-Type: application/x-www-form-urlencoded\r\n\
                        Transfer-Encoding: chunked\r\n\r\n"
                .to_string();
            let mut body = Vec::new();
            let chunk = vec![b'a'; 1024 * 1024];
            for _ in 0..12 {
                body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                body.extend_from_slice(&chunk);
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(b"0\r\n\r\n");
            (head, body)
        }
    });
    let after = status_bytes(pid, "VmRSS");
    let peak = status_bytes(pid, "VmHWM");
    // The portal still answers.
    let (head, body) = form(
        "/sharing/rest/generateToken",
        "username=nobody&password=x&f=json",
    );
    assert!(exchange(addr, &head, &body).contains("Invalid username or password."));

    // The argon2 work areas are made on first use and kept: one exists before the flood.
    let work_areas = (hashing_permits() as u64 - 1) * WORK_AREA_BYTES as u64;
    let bound = 64 * MIB + work_areas;
    println!(
        "portal RSS: {:.1} MiB before, {:.1} MiB after {SIGN_INS} bad sign-ins, {:.1} MiB after \
         {BODIES} large bodies; peak {:.1} MiB; growth bound {:.1} MiB ({} hashing permits)",
        before as f64 / MIB as f64,
        after_sign_ins as f64 / MIB as f64,
        after as f64 / MIB as f64,
        peak as f64 / MIB as f64,
        bound as f64 / MIB as f64,
        hashing_permits(),
    );
    assert!(
        peak.saturating_sub(before) < bound,
        "peak memory grew by {} MiB",
        (peak - before) / MIB
    );
    assert!(after.saturating_sub(before) < bound);
}
