//! IPv4 CIDR blocks and the AWS CDK's subnet allocation: the VPC's range is
//! carved from its start, first the groups that give a `cidr_mask`, then the
//! rest split evenly (the largest power-of-two block that fits), so a port of a
//! CDK app gets the same subnet ranges.

use std::fmt;

/// The smallest prefix length (largest block) a VPC or subnet may have.
pub(crate) const MIN_MASK: u8 = 16;
/// The largest prefix length (smallest block) a VPC or subnet may have.
pub(crate) const MAX_MASK: u8 = 28;

/// An IPv4 block: a network address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub(crate) address: u32,
    pub(crate) mask: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`. Returns why the text is not a block otherwise.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let (ip, mask) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not in CIDR notation (`10.0.0.0/16`)"))?;
        let mask: u8 = mask
            .parse()
            .ok()
            .filter(|m| *m <= 32)
            .ok_or_else(|| format!("{text:?} has no prefix length between 0 and 32"))?;
        let octets: Vec<&str> = ip.split('.').collect();
        let mut address = 0u32;
        if octets.len() != 4 {
            return Err(format!("{text:?} is not an IPv4 address with four octets"));
        }
        for octet in octets {
            let value: u8 = octet
                .parse()
                .ok()
                .filter(|_| !octet.is_empty() && (octet == "0" || !octet.starts_with('0')))
                .ok_or_else(|| format!("{text:?} has an octet that is not 0 to 255"))?;
            address = (address << 8) | u32::from(value);
        }
        Ok(Self { address, mask })
    }

    /// The number of addresses in the block.
    pub(crate) fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.mask))
    }

    /// Whether bits below the prefix are set (`10.0.0.1/16`).
    pub(crate) fn has_host_bits(self) -> bool {
        u64::from(self.address) % self.size() != 0
    }

    /// The block with its host bits cleared.
    pub(crate) fn canonical(self) -> Self {
        let size = self.size();
        let address = u64::from(self.address) - u64::from(self.address) % size;
        Self {
            address: u32::try_from(address).unwrap_or(0),
            mask: self.mask,
        }
    }

    /// The last address of the block, as a number.
    pub(crate) fn last(self) -> u64 {
        u64::from(self.address) + self.size() - 1
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.address.to_be_bytes();
        write!(f, "{a}.{b}.{c}.{d}/{}", self.mask)
    }
}

/// A request for one subnet's block: `Some(mask)` for a group that gives
/// its `cidr_mask`, `None` to share the space left.
pub(crate) type Request = Option<u8>;

/// Why the VPC's range cannot hold the requested subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AllocationError {
    /// A block of `mask` does not fit after `used` addresses of the VPC.
    NoRoom {
        /// The block asked for.
        mask: u8,
        /// The VPC's range.
        vpc: Cidr,
    },
    /// The subnets without a mask would each get less than a /28.
    TooSmall {
        /// How many subnets share the space left.
        count: usize,
        /// The number of addresses left.
        remaining: u64,
    },
}

/// Allocates one block per request, in the AWS CDK's order (see the module
/// docs). The result is in the order of `requests`.
pub(crate) fn allocate(vpc: Cidr, requests: &[Request]) -> Result<Vec<Cidr>, AllocationError> {
    let mut next = u64::from(vpc.address);
    let end = vpc.last();
    let take = |mask: u8, next: &mut u64| -> Result<Cidr, AllocationError> {
        let size = 1u64 << (32 - u32::from(mask));
        // Align up to the block size, as the CDK's `CidrBlock` does.
        let start = next.div_ceil(size) * size;
        if start + size - 1 > end {
            return Err(AllocationError::NoRoom { mask, vpc });
        }
        *next = start + size;
        Ok(Cidr {
            address: u32::try_from(start).map_err(|_| AllocationError::NoRoom { mask, vpc })?,
            mask,
        })
    };
    let mut out: Vec<Option<Cidr>> = vec![None; requests.len()];
    for (slot, request) in out.iter_mut().zip(requests) {
        if let Some(mask) = request {
            *slot = Some(take(*mask, &mut next)?);
        }
    }
    let unsized_count = requests.iter().filter(|r| r.is_none()).count();
    if unsized_count > 0 {
        let remaining = (end + 1).saturating_sub(next);
        let per_subnet = remaining / unsized_count as u64;
        if per_subnet < 16 {
            return Err(AllocationError::TooSmall {
                count: unsized_count,
                remaining,
            });
        }
        // 32 - floor(log2(per_subnet)), as the CDK's `maskForRemainingSubnets`.
        let mask = u8::try_from(32 - (63 - per_subnet.leading_zeros())).unwrap_or(MAX_MASK);
        if mask > MAX_MASK {
            return Err(AllocationError::TooSmall {
                count: unsized_count,
                remaining,
            });
        }
        let mask = mask.max(MIN_MASK);
        for (slot, request) in out.iter_mut().zip(requests) {
            if request.is_none() {
                *slot = Some(take(mask, &mut next)?);
            }
        }
    }
    Ok(out.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[Cidr]) -> Vec<String> {
        v.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn parses_and_prints_blocks() {
        let c = Cidr::parse("10.0.0.0/16").unwrap();
        assert_eq!(c.to_string(), "10.0.0.0/16");
        assert_eq!(c.size(), 65536);
        assert!(!c.has_host_bits());
        let h = Cidr::parse("10.0.0.1/16").unwrap();
        assert!(h.has_host_bits());
        assert_eq!(h.canonical().to_string(), "10.0.0.0/16");
        for bad in [
            "10.0.0.0",
            "10.0.0/16",
            "10.0.0.256/16",
            "10.0.0.0/33",
            "a.b.c.d/8",
            "10.0.0.01/16",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_layout_matches_the_cdk() {
        // 2 AZs x (Public, Private), no masks: four /18s (CDK fargate-alb reference).
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        let got = allocate(vpc, &[None; 4]).unwrap();
        assert_eq!(
            strings(&got),
            [
                "10.0.0.0/18",
                "10.0.64.0/18",
                "10.0.128.0/18",
                "10.0.192.0/18"
            ]
        );
        // 3 AZs x 2 groups: six /19s, the last quarter unused.
        let got = allocate(vpc, &[None; 6]).unwrap();
        assert_eq!(got.last().unwrap().to_string(), "10.0.160.0/19");
    }

    #[test]
    fn masked_groups_come_first_and_the_rest_share_the_remainder() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        // Public /24 in 2 AZs, Private without a mask in 2 AZs: the 65,024
        // addresses left make two /18s, aligned after the /24s.
        let got = allocate(vpc, &[Some(24), Some(24), None, None]).unwrap();
        assert_eq!(
            strings(&got),
            [
                "10.0.0.0/24",
                "10.0.1.0/24",
                "10.0.64.0/18",
                "10.0.128.0/18"
            ]
        );
        // Unsized first in the request order still get the later blocks.
        let got = allocate(vpc, &[None, Some(20)]).unwrap();
        assert_eq!(strings(&got), ["10.0.128.0/17", "10.0.0.0/20"]);
    }

    #[test]
    fn reports_a_range_too_small() {
        let vpc = Cidr::parse("10.0.0.0/24").unwrap();
        assert!(matches!(
            allocate(vpc, &[Some(25), Some(25), Some(25)]),
            Err(AllocationError::NoRoom { mask: 25, .. })
        ));
        let tiny = Cidr::parse("10.0.0.0/28").unwrap();
        assert!(matches!(
            allocate(tiny, &[None, None]),
            Err(AllocationError::TooSmall { count: 2, .. })
        ));
    }
}
