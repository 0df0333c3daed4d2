//! The ids a replication's events and state carry: which mode, pool, shipment or token
//! an event is about. Each wraps an index (`u32`, so events stay small) and is a distinct
//! type, so a pool's index cannot be passed where a token's is meant.

macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The index this id stands for.
            #[inline(always)]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_id!(
    /// Index of a mode in [`super::Model::modes`].
    ModeId
);
index_id!(
    /// Index of a pool in [`super::Model::pools`].
    PoolId
);
index_id!(
    /// Slot of a shipment in the system (slots are reused once a shipment leaves).
    ShipmentId
);
index_id!(
    /// Slot of a token — a shipment's walk through its channel, or one branch of a
    /// parallel stage (slots are reused once a token finishes).
    TokenId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_index_and_no_bigger() {
        assert_eq!(PoolId(7).index(), 7);
        assert_eq!(std::mem::size_of::<TokenId>(), std::mem::size_of::<u32>());
    }
}
