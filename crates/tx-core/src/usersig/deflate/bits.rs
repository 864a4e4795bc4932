//! An LSB-first bit writer, as deflate streams are packed.

/// Packs bit fields into bytes, least significant bit first.
pub(super) struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    len: u32,
}

impl<'a> BitWriter<'a> {
    pub(super) fn new(out: &'a mut Vec<u8>) -> Self {
        BitWriter { out, acc: 0, len: 0 }
    }

    /// Appends the low `bits` bits of `value` (at most 32 bits at a time).
    #[inline]
    pub(super) fn put(&mut self, value: u32, bits: u32) {
        debug_assert!(bits <= 32 && (bits == 32 || value >> bits == 0));
        self.acc |= u64::from(value) << self.len;
        self.len += bits;
        if self.len >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.len -= 32;
        }
    }

    /// Pads with zero bits to the next byte boundary and flushes.
    pub(super) fn align(&mut self) {
        while self.len > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.len = self.len.saturating_sub(8);
        }
        self.acc = 0;
    }

    /// Appends whole bytes; the writer must be aligned.
    pub(super) fn bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.len, 0);
        self.out.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_least_significant_bit_first() {
        let mut out = Vec::new();
        let mut w = BitWriter::new(&mut out);
        w.put(0b1, 1);
        w.put(0b01, 2);
        w.put(0b11111, 5);
        w.put(0x1234, 16);
        w.put(0b101, 3);
        w.align();
        assert_eq!(out, [0b1111_1011, 0x34, 0x12, 0b101]);
    }
}
