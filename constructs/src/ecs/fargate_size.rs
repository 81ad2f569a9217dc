//! Fargate task sizes: a CPU and memory pair that Fargate accepts.
//!
//! The valid pairs come from one table, [`FARGATE_SIZES`], copied from the
//! Amazon ECS Developer Guide, "Task CPU and memory" / "Troubleshoot Amazon
//! ECS task definition invalid CPU or memory errors"
//! (docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html,
//! read 2026-11-25). A [`FargateSize`] can only be made from a row of it, so
//! an invalid pair never reaches CloudFormation.
//!
//! ```
//! use ecscdk::ecs::{FargateSize, FargateCpu};
//! let size = FargateSize::new(FargateCpu::Vcpu0_5, 1024).unwrap();
//! assert_eq!((size.cpu_units(), size.memory_mib()), (512, 1024));
//! assert!(FargateSize::new(FargateCpu::Vcpu0_25, 4096).is_err());
//! ```

use std::fmt;

/// Task CPU on Fargate, in the steps Fargate offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FargateCpu {
    /// 256 CPU units (.25 vCPU).
    Vcpu0_25,
    /// 512 CPU units (.5 vCPU).
    Vcpu0_5,
    /// 1024 CPU units (1 vCPU).
    Vcpu1,
    /// 2048 CPU units (2 vCPU).
    Vcpu2,
    /// 4096 CPU units (4 vCPU).
    Vcpu4,
    /// 8192 CPU units (8 vCPU); Linux platform version 1.4.0 or later.
    Vcpu8,
    /// 16384 CPU units (16 vCPU); Linux platform version 1.4.0 or later.
    Vcpu16,
}

impl FargateCpu {
    /// CPU units (1024 per vCPU), as the task definition's `Cpu` takes them.
    #[must_use]
    pub fn units(self) -> u32 {
        self.row().cpu
    }

    /// The table row of this CPU size.
    pub(crate) fn row(self) -> &'static FargateRow {
        let index = match self {
            Self::Vcpu0_25 => 0,
            Self::Vcpu0_5 => 1,
            Self::Vcpu1 => 2,
            Self::Vcpu2 => 3,
            Self::Vcpu4 => 4,
            Self::Vcpu8 => 5,
            Self::Vcpu16 => 6,
        };
        &FARGATE_SIZES[index]
    }

    /// The CPU size with `units` CPU units, if Fargate offers it.
    #[must_use]
    pub fn from_units(units: u32) -> Option<Self> {
        ALL_CPUS.iter().copied().find(|c| c.units() == units)
    }
}

const ALL_CPUS: [FargateCpu; 7] = [
    FargateCpu::Vcpu0_25,
    FargateCpu::Vcpu0_5,
    FargateCpu::Vcpu1,
    FargateCpu::Vcpu2,
    FargateCpu::Vcpu4,
    FargateCpu::Vcpu8,
    FargateCpu::Vcpu16,
];

/// The memory sizes Fargate accepts for one CPU size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FargateRow {
    /// CPU units.
    pub cpu: u32,
    /// Smallest memory, MiB.
    pub min_memory_mib: u32,
    /// Largest memory, MiB.
    pub max_memory_mib: u32,
    /// Step between accepted memory sizes, MiB (the smallest size is always
    /// accepted; `512` at .25 vCPU then continues 1024, 2048).
    pub step_mib: u32,
    /// Whether Windows containers may use this size.
    pub windows: bool,
}

/// Every CPU size Fargate offers with its memory range (Amazon ECS Developer
/// Guide, task CPU and memory table). Windows containers need at least
/// 1 vCPU and at most 4 vCPU.
pub const FARGATE_SIZES: [FargateRow; 7] = [
    FargateRow {
        cpu: 256,
        min_memory_mib: 512,
        max_memory_mib: 2048,
        step_mib: 1024,
        windows: false,
    },
    FargateRow {
        cpu: 512,
        min_memory_mib: 1024,
        max_memory_mib: 4096,
        step_mib: 1024,
        windows: false,
    },
    FargateRow {
        cpu: 1024,
        min_memory_mib: 2048,
        max_memory_mib: 8192,
        step_mib: 1024,
        windows: true,
    },
    FargateRow {
        cpu: 2048,
        min_memory_mib: 4096,
        max_memory_mib: 16384,
        step_mib: 1024,
        windows: true,
    },
    FargateRow {
        cpu: 4096,
        min_memory_mib: 8192,
        max_memory_mib: 30720,
        step_mib: 1024,
        windows: true,
    },
    FargateRow {
        cpu: 8192,
        min_memory_mib: 16384,
        max_memory_mib: 61440,
        step_mib: 4096,
        windows: false,
    },
    FargateRow {
        cpu: 16384,
        min_memory_mib: 32768,
        max_memory_mib: 122_880,
        step_mib: 8192,
        windows: false,
    },
];

impl FargateRow {
    /// Whether `memory_mib` is one of this row's sizes.
    #[must_use]
    pub fn accepts(&self, memory_mib: u32) -> bool {
        if memory_mib == self.min_memory_mib {
            return true;
        }
        // Above the minimum, sizes sit on whole multiples of the step
        // (.25 vCPU: 512, then 1024 and 2048).
        memory_mib > self.min_memory_mib
            && memory_mib <= self.max_memory_mib
            && memory_mib.is_multiple_of(self.step_mib)
    }

    /// Every memory size of this row, MiB.
    #[must_use]
    pub fn memory_sizes(&self) -> Vec<u32> {
        let mut out = vec![self.min_memory_mib];
        let mut m = self.min_memory_mib - self.min_memory_mib % self.step_mib + self.step_mib;
        while m <= self.max_memory_mib {
            out.push(m);
            m += self.step_mib;
        }
        out
    }
}

/// A CPU and memory pair Fargate accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FargateSize {
    cpu: FargateCpu,
    memory_mib: u32,
}

/// Why a CPU and memory pair is not a Fargate size; the message lists the
/// sizes that are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidFargateSize {
    /// The CPU asked for.
    pub cpu: FargateCpu,
    /// The memory asked for.
    pub memory_mib: u32,
}

impl fmt::Display for InvalidFargateSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = self.cpu.row();
        write!(
            f,
            "Fargate does not offer {} MiB with {} CPU units; with {} CPU units use ",
            self.memory_mib, row.cpu, row.cpu
        )?;
        let sizes = row.memory_sizes();
        if sizes.len() <= 8 {
            let list: Vec<String> = sizes.iter().map(u32::to_string).collect();
            write!(f, "one of {} MiB", list.join(", "))
        } else {
            write!(
                f,
                "{} to {} MiB in steps of {} MiB",
                row.min_memory_mib, row.max_memory_mib, row.step_mib
            )
        }
    }
}

impl std::error::Error for InvalidFargateSize {}

/// So that `?` works on [`FargateSize::new`] in a function returning
/// [`crate::Result`].
impl From<InvalidFargateSize> for crate::Error {
    fn from(e: InvalidFargateSize) -> Self {
        Self::InvalidValue {
            what: "FargateSize::new",
            reason: e.to_string(),
        }
    }
}

impl FargateSize {
    /// The size with `cpu` and `memory_mib`.
    ///
    /// # Errors
    /// When Fargate does not offer that memory with that CPU.
    pub fn new(cpu: FargateCpu, memory_mib: u32) -> Result<Self, InvalidFargateSize> {
        if cpu.row().accepts(memory_mib) {
            Ok(Self { cpu, memory_mib })
        } else {
            Err(InvalidFargateSize { cpu, memory_mib })
        }
    }

    /// The smallest size: .25 vCPU and 512 MiB (the CDK's default too).
    #[must_use]
    pub fn smallest() -> Self {
        Self {
            cpu: FargateCpu::Vcpu0_25,
            memory_mib: 512,
        }
    }

    /// The CPU size.
    #[must_use]
    pub fn cpu(self) -> FargateCpu {
        self.cpu
    }

    /// CPU units, as the task definition's `Cpu` takes them.
    #[must_use]
    pub fn cpu_units(self) -> u32 {
        self.cpu.units()
    }

    /// Memory, MiB, as the task definition's `Memory` takes it.
    #[must_use]
    pub fn memory_mib(self) -> u32 {
        self.memory_mib
    }

    /// Whether Windows containers may run at this size.
    #[must_use]
    pub fn supports_windows(self) -> bool {
        self.cpu.row().windows
    }

    /// Every size Fargate offers.
    pub fn all() -> impl Iterator<Item = Self> {
        ALL_CPUS.into_iter().flat_map(|cpu| {
            cpu.row()
                .memory_sizes()
                .into_iter()
                .map(move |memory_mib| Self { cpu, memory_mib })
        })
    }
}

impl Default for FargateSize {
    fn default() -> Self {
        Self::smallest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_pairs_are_accepted() {
        let quarter: Vec<u32> = FargateCpu::Vcpu0_25.row().memory_sizes();
        assert_eq!(quarter, [512, 1024, 2048]);
        assert_eq!(
            FargateCpu::Vcpu0_5.row().memory_sizes(),
            [1024, 2048, 3072, 4096]
        );
        assert_eq!(FargateCpu::Vcpu1.row().memory_sizes().len(), 7);
        assert_eq!(FargateCpu::Vcpu2.row().memory_sizes().len(), 13);
        assert_eq!(FargateCpu::Vcpu4.row().memory_sizes().len(), 23);
        assert_eq!(
            FargateCpu::Vcpu8.row().memory_sizes(),
            (4..=15).map(|g| g * 4096).collect::<Vec<_>>()
        );
        assert_eq!(
            FargateCpu::Vcpu16.row().memory_sizes(),
            (4..=15).map(|g| g * 8192).collect::<Vec<_>>()
        );
        assert_eq!(FargateSize::all().count(), 3 + 4 + 7 + 13 + 23 + 12 + 12);
    }

    #[test]
    fn pairs_outside_the_table_are_rejected() {
        assert!(FargateSize::new(FargateCpu::Vcpu0_25, 3072).is_err());
        assert!(FargateSize::new(FargateCpu::Vcpu0_25, 1536).is_err());
        assert!(FargateSize::new(FargateCpu::Vcpu8, 17408).is_err());
        assert!(FargateSize::new(FargateCpu::Vcpu16, 131_072).is_err());
        let err = FargateSize::new(FargateCpu::Vcpu1, 1024).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Fargate does not offer 1024 MiB with 1024 CPU units; with 1024 CPU units use one of 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB"
        );
    }

    #[test]
    fn windows_needs_one_to_four_vcpu() {
        assert!(!FargateSize::smallest().supports_windows());
        assert!(
            FargateSize::new(FargateCpu::Vcpu4, 8192)
                .unwrap()
                .supports_windows()
        );
        assert!(
            !FargateSize::new(FargateCpu::Vcpu8, 16384)
                .unwrap()
                .supports_windows()
        );
    }
}
