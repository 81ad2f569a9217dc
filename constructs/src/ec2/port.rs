//! `Port`: the protocol and port range of a security group rule.

use std::fmt;

/// An IP protocol of a security group rule (`IpProtocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// Every protocol (`-1`).
    All,
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// ICMP.
    Icmp,
    /// ICMPv6.
    Icmpv6,
    /// Another protocol, by its IANA number (ESP is 50, AH 51).
    Number(u8),
}

impl Protocol {
    /// The value `IpProtocol` takes.
    #[must_use]
    pub fn as_str(self) -> String {
        match self {
            Self::All => "-1".to_owned(),
            Self::Tcp => "tcp".to_owned(),
            Self::Udp => "udp".to_owned(),
            Self::Icmp => "icmp".to_owned(),
            Self::Icmpv6 => "icmpv6".to_owned(),
            Self::Number(n) => n.to_string(),
        }
    }
}

/// What a rule matches: a protocol and, where the protocol has them, a port
/// range (or an ICMP type and code). Cheap to copy.
///
/// ```
/// use ecscdk::ec2::Port;
/// assert_eq!(Port::tcp(443).to_string(), "443");
/// assert_eq!(Port::udp_range(1000, 2000).to_string(), "UDP 1000-2000");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Port {
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Tcp(u16, u16),
    AllTcp,
    Udp(u16, u16),
    AllUdp,
    IcmpTypeCode(u8, u8),
    IcmpType(u8),
    AllIcmp,
    AllIcmpv6,
    AllTraffic,
    Esp,
    Ah,
}

impl Port {
    /// One TCP port.
    #[must_use]
    pub fn tcp(port: u16) -> Self {
        Self {
            kind: Kind::Tcp(port, port),
        }
    }

    /// A range of TCP ports, both ends included (checked when the rule is
    /// added: `from` must not exceed `to`).
    #[must_use]
    pub fn tcp_range(from: u16, to: u16) -> Self {
        Self {
            kind: Kind::Tcp(from, to),
        }
    }

    /// Every TCP port.
    #[must_use]
    pub fn all_tcp() -> Self {
        Self { kind: Kind::AllTcp }
    }

    /// One UDP port.
    #[must_use]
    pub fn udp(port: u16) -> Self {
        Self {
            kind: Kind::Udp(port, port),
        }
    }

    /// A range of UDP ports, both ends included.
    #[must_use]
    pub fn udp_range(from: u16, to: u16) -> Self {
        Self {
            kind: Kind::Udp(from, to),
        }
    }

    /// Every UDP port.
    #[must_use]
    pub fn all_udp() -> Self {
        Self { kind: Kind::AllUdp }
    }

    /// One ICMP type and code.
    #[must_use]
    pub fn icmp_type_and_code(icmp_type: u8, code: u8) -> Self {
        Self {
            kind: Kind::IcmpTypeCode(icmp_type, code),
        }
    }

    /// Every code of one ICMP type.
    #[must_use]
    pub fn icmp_type(icmp_type: u8) -> Self {
        Self {
            kind: Kind::IcmpType(icmp_type),
        }
    }

    /// ICMP echo requests (ping): type 8.
    #[must_use]
    pub fn icmp_ping() -> Self {
        Self::icmp_type(8)
    }

    /// All ICMP traffic.
    #[must_use]
    pub fn all_icmp() -> Self {
        Self {
            kind: Kind::AllIcmp,
        }
    }

    /// All ICMPv6 traffic.
    #[must_use]
    pub fn all_icmpv6() -> Self {
        Self {
            kind: Kind::AllIcmpv6,
        }
    }

    /// All traffic: every protocol and port.
    #[must_use]
    pub fn all_traffic() -> Self {
        Self {
            kind: Kind::AllTraffic,
        }
    }

    /// IPsec ESP (protocol 50).
    #[must_use]
    pub fn esp() -> Self {
        Self { kind: Kind::Esp }
    }

    /// IPsec AH (protocol 51).
    #[must_use]
    pub fn ah() -> Self {
        Self { kind: Kind::Ah }
    }

    /// The protocol.
    #[must_use]
    pub fn protocol(self) -> Protocol {
        match self.kind {
            Kind::Tcp(..) | Kind::AllTcp => Protocol::Tcp,
            Kind::Udp(..) | Kind::AllUdp => Protocol::Udp,
            Kind::IcmpTypeCode(..) | Kind::IcmpType(_) | Kind::AllIcmp => Protocol::Icmp,
            Kind::AllIcmpv6 => Protocol::Icmpv6,
            Kind::AllTraffic => Protocol::All,
            Kind::Esp => Protocol::Number(50),
            Kind::Ah => Protocol::Number(51),
        }
    }

    /// `FromPort` and `ToPort` of the rule (for ICMP: type and code, `-1`
    /// for any); `None` for all traffic.
    #[must_use]
    pub fn range(self) -> Option<(i64, i64)> {
        match self.kind {
            Kind::Tcp(a, b) | Kind::Udp(a, b) => Some((i64::from(a), i64::from(b))),
            Kind::AllTcp | Kind::AllUdp => Some((0, 65535)),
            Kind::IcmpTypeCode(t, c) => Some((i64::from(t), i64::from(c))),
            Kind::IcmpType(t) => Some((i64::from(t), -1)),
            Kind::AllIcmp | Kind::AllIcmpv6 => Some((-1, -1)),
            Kind::AllTraffic => None,
            Kind::Esp => Some((50, 50)),
            Kind::Ah => Some((51, 51)),
        }
    }

    /// The single TCP port this is, if it is one (a service's or load
    /// balancer's listener port).
    #[must_use]
    pub fn single_tcp_port(self) -> Option<u16> {
        match self.kind {
            Kind::Tcp(a, b) if a == b => Some(a),
            _ => None,
        }
    }

    /// Why the port is not acceptable, if it is not.
    pub(crate) fn problem(self) -> Option<String> {
        match self.kind {
            Kind::Tcp(a, b) | Kind::Udp(a, b) if a > b => Some(format!(
                "the port range starts at {a}, after its end {b}; give the lower port first"
            )),
            _ => None,
        }
    }
}

/// The AWS CDK's text for the port, used in rule ids and default
/// descriptions (`80`, `80-90`, `ALL PORTS`, `UDP 53`, `ALL TRAFFIC`, …).
impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Tcp(a, b) if a == b => write!(f, "{a}"),
            Kind::Tcp(a, b) => write!(f, "{a}-{b}"),
            Kind::AllTcp => f.write_str("ALL PORTS"),
            Kind::Udp(a, b) if a == b => write!(f, "UDP {a}"),
            Kind::Udp(a, b) => write!(f, "UDP {a}-{b}"),
            Kind::AllUdp => f.write_str("UDP ALL PORTS"),
            Kind::IcmpTypeCode(t, c) => write!(f, "ICMP Type {t} Code {c}"),
            Kind::IcmpType(t) => write!(f, "ICMP Type {t}"),
            Kind::AllIcmp => f.write_str("ALL ICMP"),
            Kind::AllIcmpv6 => f.write_str("ALL ICMPv6"),
            Kind::AllTraffic => f.write_str("ALL TRAFFIC"),
            Kind::Esp => f.write_str("ESP 50"),
            Kind::Ah => f.write_str("AH 51"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_and_ranges_follow_the_cdk() {
        let cases = [
            (Port::tcp(80), "80", "tcp", Some((80, 80))),
            (Port::tcp_range(80, 90), "80-90", "tcp", Some((80, 90))),
            (Port::all_tcp(), "ALL PORTS", "tcp", Some((0, 65535))),
            (Port::udp(53), "UDP 53", "udp", Some((53, 53))),
            (Port::all_udp(), "UDP ALL PORTS", "udp", Some((0, 65535))),
            (Port::icmp_ping(), "ICMP Type 8", "icmp", Some((8, -1))),
            (
                Port::icmp_type_and_code(3, 4),
                "ICMP Type 3 Code 4",
                "icmp",
                Some((3, 4)),
            ),
            (Port::all_icmp(), "ALL ICMP", "icmp", Some((-1, -1))),
            (Port::all_traffic(), "ALL TRAFFIC", "-1", None),
            (Port::esp(), "ESP 50", "50", Some((50, 50))),
        ];
        for (port, text, protocol, range) in cases {
            assert_eq!(port.to_string(), text);
            assert_eq!(port.protocol().as_str(), protocol);
            assert_eq!(port.range(), range);
        }
        assert!(Port::tcp_range(90, 80).problem().is_some());
        assert_eq!(Port::tcp(8080).single_tcp_port(), Some(8080));
        assert_eq!(Port::all_tcp().single_tcp_port(), None);
    }
}
