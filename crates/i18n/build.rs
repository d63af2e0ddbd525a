// load_locales! reads translations/ while compiling; a changed translation
// must rebuild the crate, which cargo only knows through this.
fn main() {
    println!("cargo::rerun-if-changed=translations");
}
