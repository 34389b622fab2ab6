use switchyard::site::{Overrides, Site, Stages, Verbosity};
fn main() {
    let site = Site::load(None, Overrides { source: Some("../shared/corpus".into()), ..Overrides::default() }).unwrap();
    let cat = site.load_catalog(&mut Stages::new(Verbosity::Quiet)).unwrap();
    let t = std::time::Instant::now();
    let sims = switchyard::similar::similar(&cat);
    eprintln!("similar: {:?}", t.elapsed());
    for name in std::env::args().skip(1) {
        let i = cat.connectors.iter().position(|c| c.folder == name).unwrap();
        println!("== {name}");
        for s in &sims[i] {
            println!("  {:.3} {} host={} owner={} {:?}", s.score, cat.connectors[s.index].folder, s.same_host, s.same_stack_owner, s.shared);
        }
    }
}
