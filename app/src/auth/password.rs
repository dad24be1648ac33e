//! Password hashing: argon2id with OWASP's parameters (19 MiB, two passes, one lane), in the
//! process's bounded hashing slots, each with working memory of its own that is reused
//! (`limits::HashingSlots`). Hashes are standard PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`),
//! so hashes made before (or by any other argon2 implementation) verify, and these verify
//! elsewhere.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::limits::{HashingSlots, HASHING_MEMORY_BUDGET_KIB};
use crate::error::{AppError, AppResult};

/// The memory argon2id takes for one hash, in KiB (1 KiB blocks).
pub const ARGON2_MEMORY_KIB: u32 = 19_456;

/// OWASP's recommended argon2id parameters.
fn params() -> AppResult<Params> {
    Params::new(ARGON2_MEMORY_KIB, 2, 1, None).map_err(|err| {
        tracing::error!(error = %err, "invalid argon2 parameters");
        AppError::Internal
    })
}

/// The process's password-hashing slots. A static, because the memory they guard is the
/// process's: the server's requests and the command line share it.
fn slots() -> &'static HashingSlots {
    static SLOTS: std::sync::OnceLock<HashingSlots> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| HashingSlots::for_budget(HASHING_MEMORY_BUDGET_KIB, ARGON2_MEMORY_KIB))
}

fn failed(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "password hashing failed");
    AppError::Internal
}

/// argon2's output for `password` under `hasher`, computed in `memory` (or in memory of its own
/// when a stored hash asks for more than a slot holds).
fn output(
    hasher: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    len: usize,
    memory: &mut [Block],
) -> AppResult<Output> {
    let needed = hasher.params().block_count();
    Output::init_with(len, |out| {
        let result = if needed <= memory.len() {
            hasher.hash_password_into_with_memory(password, salt, out, &mut memory[..needed])
        } else {
            hasher.hash_password_into(password, salt, out)
        };
        result.map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(failed)
}

/// Hashes a password as a PHC string.
fn hash_in(password: &[u8], memory: &mut [Block]) -> AppResult<String> {
    let params = params()?;
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(failed)?;
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let hash = output(
        &hasher,
        password,
        salt_bytes,
        Params::DEFAULT_OUTPUT_LEN,
        memory,
    )?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a PHC string, with the parameters the string names. The outputs
/// are compared in constant time (`Output`'s equality).
fn verify_in(password: &[u8], stored: &str, memory: &mut [Block]) -> AppResult<bool> {
    let parsed = PasswordHash::new(stored).map_err(|err| {
        tracing::error!(error = %err, "stored password hash is malformed");
        AppError::Internal
    })?;
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return Err(failed("stored password hash has no output or salt"));
    };
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(failed)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(failed)?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(failed)?;
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(failed)?;
    let hasher = Argon2::new(algorithm, version, params);
    let computed = output(&hasher, password, salt_bytes, expected.len(), memory)?;
    Ok(computed == expected)
}

/// Hashes a password in one of the hashing slots (off the async workers: a hash takes tens of
/// milliseconds of CPU), or answers `RateLimited` when the slots and their queue are full.
pub async fn hash_password(password: String) -> AppResult<String> {
    slots()
        .run(move |memory| hash_in(password.as_bytes(), memory))
        .await?
}

/// Checks a password against its stored hash, in one of the hashing slots.
pub async fn verify_password(password: String, hash: String) -> AppResult<bool> {
    slots()
        .run(move |memory| verify_in(password.as_bytes(), &hash, memory))
        .await?
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password("correct horse battery".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("correct horse battery!".into(), hash)
            .await
            .unwrap());
    }

    #[test]
    fn hashes_are_the_standard_phc_strings_both_ways() {
        let mut memory = vec![Block::default(); ARGON2_MEMORY_KIB as usize];
        // ours verify with argon2's own verifier
        let ours = hash_in(b"violet-kettle-monsoon-42", &mut memory).unwrap();
        let standard = Argon2::new(Algorithm::Argon2id, Version::V0x13, params().unwrap());
        assert!(standard
            .verify_password(
                b"violet-kettle-monsoon-42",
                &PasswordHash::new(&ours).unwrap()
            )
            .is_ok());
        // argon2's own hashes (as stored before) verify with ours, whatever their parameters
        let salt = SaltString::generate(&mut OsRng);
        let theirs = standard
            .hash_password(b"violet-kettle-monsoon-42", &salt)
            .unwrap()
            .to_string();
        assert!(verify_in(b"violet-kettle-monsoon-42", &theirs, &mut memory).unwrap());
        assert!(!verify_in(b"violet-kettle-monsoon-43", &theirs, &mut memory).unwrap());
        let heavier = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(32_768, 1, 1, None).unwrap(),
        )
        .hash_password(b"pw-with-more-memory", &salt)
        .unwrap()
        .to_string();
        assert!(verify_in(b"pw-with-more-memory", &heavier, &mut memory).unwrap());
    }
}
