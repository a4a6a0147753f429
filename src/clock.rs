//! The one clock. Everything that depends on the date takes a [`Clock`], so
//! tests and the demo can run on any day.

use jiff::Timestamp;
use jiff::civil::Date;

pub trait Clock {
    fn now(&self) -> Timestamp;

    /// Today's calendar date in Europe/Oslo.
    fn today(&self) -> Date {
        oslo_date(self.now())
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that always says the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// The calendar date an instant falls on in Oslo.
pub fn oslo_date(ts: Timestamp) -> Date {
    match ts.in_tz("Europe/Oslo") {
        Ok(z) => z.date(),
        // The zone is bundled, so this cannot happen; UTC is a safe fallback.
        Err(_) => ts.in_tz("UTC").map(|z| z.date()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oslo_date_crosses_midnight_before_utc() {
        let ts: Timestamp = "2026-12-31T23:30:00Z".parse().unwrap();
        assert_eq!(FixedClock(ts).today(), jiff::civil::date(2027, 1, 1));
        let summer: Timestamp = "2026-07-03T21:59:00Z".parse().unwrap();
        assert_eq!(oslo_date(summer), jiff::civil::date(2026, 7, 3));
        let summer: Timestamp = "2026-07-03T22:00:00Z".parse().unwrap();
        assert_eq!(oslo_date(summer), jiff::civil::date(2026, 7, 4));
    }
}
