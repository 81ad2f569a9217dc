//! How long CloudWatch Logs keeps log events.

/// A retention period CloudWatch Logs accepts (`RetentionInDays`; the
/// values are the `enum` of the `AWS::Logs::LogGroup` registry schema).
///
/// A log group without retention keeps events forever, which costs money
/// and keeps data longer than most policies allow; ecscdk's log groups
/// default to [`RetentionDays::OneMonth`] and offer no "never expire" value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum RetentionDays {
    /// 1 day.
    OneDay,
    /// 3 days.
    ThreeDays,
    /// 5 days.
    FiveDays,
    /// 1 week.
    OneWeek,
    /// 2 weeks.
    TwoWeeks,
    /// 30 days.
    #[default]
    OneMonth,
    /// 60 days.
    TwoMonths,
    /// 90 days.
    ThreeMonths,
    /// 120 days.
    FourMonths,
    /// 150 days.
    FiveMonths,
    /// 180 days.
    SixMonths,
    /// 365 days.
    OneYear,
    /// 400 days.
    ThirteenMonths,
    /// 545 days.
    EighteenMonths,
    /// 731 days.
    TwoYears,
    /// 1096 days.
    ThreeYears,
    /// 1827 days.
    FiveYears,
    /// 2192 days.
    SixYears,
    /// 2557 days.
    SevenYears,
    /// 2922 days.
    EightYears,
    /// 3288 days.
    NineYears,
    /// 3653 days.
    TenYears,
}

impl RetentionDays {
    /// The number of days, as `RetentionInDays` takes it.
    #[must_use]
    pub fn days(self) -> u32 {
        match self {
            Self::OneDay => 1,
            Self::ThreeDays => 3,
            Self::FiveDays => 5,
            Self::OneWeek => 7,
            Self::TwoWeeks => 14,
            Self::OneMonth => 30,
            Self::TwoMonths => 60,
            Self::ThreeMonths => 90,
            Self::FourMonths => 120,
            Self::FiveMonths => 150,
            Self::SixMonths => 180,
            Self::OneYear => 365,
            Self::ThirteenMonths => 400,
            Self::EighteenMonths => 545,
            Self::TwoYears => 731,
            Self::ThreeYears => 1096,
            Self::FiveYears => 1827,
            Self::SixYears => 2192,
            Self::SevenYears => 2557,
            Self::EightYears => 2922,
            Self::NineYears => 3288,
            Self::TenYears => 3653,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_the_schema_enum() {
        let all = [
            RetentionDays::OneDay,
            RetentionDays::ThreeDays,
            RetentionDays::FiveDays,
            RetentionDays::OneWeek,
            RetentionDays::TwoWeeks,
            RetentionDays::OneMonth,
            RetentionDays::TwoMonths,
            RetentionDays::ThreeMonths,
            RetentionDays::FourMonths,
            RetentionDays::FiveMonths,
            RetentionDays::SixMonths,
            RetentionDays::OneYear,
            RetentionDays::ThirteenMonths,
            RetentionDays::EighteenMonths,
            RetentionDays::TwoYears,
            RetentionDays::ThreeYears,
            RetentionDays::FiveYears,
            RetentionDays::SixYears,
            RetentionDays::SevenYears,
            RetentionDays::EightYears,
            RetentionDays::NineYears,
            RetentionDays::TenYears,
        ];
        let days: Vec<u32> = all.iter().map(|r| r.days()).collect();
        assert_eq!(
            days,
            [
                1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                2557, 2922, 3288, 3653
            ]
        );
    }
}
