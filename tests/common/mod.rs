//! Helpers shared by the integration tests (`mod common;` in each test file).

use std::path::Path;

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the folder is created");
    for e in std::fs::read_dir(from).expect("the folder is readable") {
        let p = e.expect("an entry").path();
        let dest = to.join(p.file_name().expect("a name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("the file is copied");
        }
    }
}
