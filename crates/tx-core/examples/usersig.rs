//! Generates an admin UserSig, verifies it, decodes it, and shows the verifier refusing a
//! wrong identifier and an expired signature.
//!
//! `cargo run -p tx-core --example usersig [SDKAPPID] [SECRET_KEY] [IDENTIFIER]`

use std::time::Duration;
use tx_core::clock::ManualClock;
use tx_core::usersig::{UserSigSigner, decode};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let sdk_app_id: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_400_000_000);
    let key = args.next().unwrap_or_else(|| "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e".into());
    let identifier = args.next().unwrap_or_else(|| "administrator".into());

    let signer = UserSigSigner::new(sdk_app_id, key.as_str());
    let sig = signer.generate(&identifier, Duration::from_secs(86_400))?;
    println!("UserSig for {identifier} (SDKAppID {sdk_app_id}), valid until {}:", sig.expires_at());
    println!("{}", sig.expose());

    let verified = signer.verify(sig.expose(), &identifier)?;
    println!("verified: TLS.ver {}, issued {}, lifetime {} s", verified.version, verified.time, verified.expire);

    let decoded = decode(sig.expose())?;
    println!("decoded without the key: identifier {:?}, sdkappid {}", decoded.identifier, decoded.sdk_app_id);

    match signer.verify(sig.expose(), "someone-else") {
        Err(e) => println!("another identifier is refused: {e}"),
        Ok(_) => return Err("a signature verified for the wrong identifier".into()),
    }
    let tomorrow = signer.clone().with_clock(ManualClock::new(sig.expires_at() + 1));
    match tomorrow.verify(sig.expose(), &identifier) {
        Err(e) => println!("one second after expiry it is refused: {e}"),
        Ok(_) => return Err("an expired signature verified".into()),
    }
    Ok(())
}
