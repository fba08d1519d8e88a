//! A section's markdown fragment and its goal rows (`| goal | measured | met |`), which scripts/bench
//! gathers into the summary at the top of BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::Path;

#[derive(Default)]
pub struct Report {
    pub markdown: String,
    pub goals: Vec<Goal>,
}

pub struct Goal {
    pub goal: String,
    pub measured: String,
    pub met: bool,
    /// When not met: the gap and what stands in the way.
    pub note: String,
}

impl Report {
    pub fn line(&mut self, text: impl AsRef<str>) {
        self.markdown.push_str(text.as_ref());
        self.markdown.push('\n');
    }

    pub fn goal(&mut self, goal: impl Into<String>, measured: impl Into<String>, met: bool, note: impl Into<String>) {
        self.goals.push(Goal {
            goal: goal.into(),
            measured: measured.into(),
            met,
            note: note.into(),
        });
    }

    pub fn write(&self, dir: &Path, section: &str) -> std::io::Result<()> {
        let mut markdown = self.markdown.clone();
        if !self.goals.is_empty() {
            markdown.push_str("\n| goal | measured | met |\n|---|---|---|\n");
            for goal in &self.goals {
                let _ = writeln!(markdown, "{}", goal.row());
            }
            for goal in self.goals.iter().filter(|g| !g.met && !g.note.is_empty()) {
                let _ = writeln!(markdown, "\n**Not met — {}:** {}", goal.goal, goal.note);
            }
        }
        std::fs::write(dir.join(format!("{section}.md")), markdown)?;
        let rows: String = self.goals.iter().map(|g| g.row() + "\n").collect();
        std::fs::write(dir.join(format!("{section}.goals")), rows)
    }
}

impl Goal {
    fn row(&self) -> String {
        let met = if self.met { "✅ met" } else { "❌ not met" };
        format!("| {} | {} | {met} |", self.goal, self.measured)
    }
}

/// `12,345`
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
