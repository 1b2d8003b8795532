//! `deepday gradcheck`: every analytic gradient against a centred-difference one.

use crate::args::GradcheckArgs;
use anyhow::Result;
use deepday::gradcheck::{check_all, GOOD, KINKED};

pub fn run(args: &GradcheckArgs) -> Result<()> {
    anyhow::ensure!(
        args.h.is_finite() && args.h > 0.0 && args.h < 1.0,
        "--h must be a small positive step, not {}",
        args.h
    );
    let checks = check_all(args.seed, args.h);
    let failed = checks.iter().filter(|c| !c.passed).count();
    if args.json {
        let out = serde_json::json!({ "h": args.h, "seed": args.seed, "checks": checks, "failed": failed });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{:<22} {:>16} {:>10}  result",
            "gradient", "max rel. error", "threshold"
        );
        for c in &checks {
            let result = if c.passed { "pass" } else { "FAIL" };
            println!(
                "{:<22} {:>16.3e} {:>10.0e}  {result}",
                c.name, c.max_relative_error, c.threshold
            );
        }
        println!(
            "\nthresholds (cs231n): < {GOOD:.0e} right for smooth functions; < {KINKED:.0e} near \
             kinks (hinge, ReLU); above 1e-2 the gradient is wrong"
        );
    }
    anyhow::ensure!(
        failed == 0,
        "{failed} of {} gradient checks failed",
        checks.len()
    );
    Ok(())
}
