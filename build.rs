//! Records the compiler's version (`rustc -V`) for the qualification kit's configuration
//! index (`OPSPLAN_RUSTC_VERSION`); left unset when it cannot be asked.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Ok(out) = std::process::Command::new(rustc).arg("-V").output() {
        if out.status.success() {
            if let Ok(v) = String::from_utf8(out.stdout) {
                println!("cargo:rustc-env=OPSPLAN_RUSTC_VERSION={}", v.trim());
            }
        }
    }
}
