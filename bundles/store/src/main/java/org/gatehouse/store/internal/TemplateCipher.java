package org.gatehouse.store.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.gatehouse.store.internal.repo.KeyChecksImpl;

/**
 * The envelope of a face template: AES-256-GCM, a fresh random 12-byte IV per value, a 128-bit tag, the caller's
 * additional authenticated data (which binds the value to its row).
 */
final class TemplateCipher {
    static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TemplateCipher() {
    }

    /** {@code plaintext} sealed with {@code key} (named {@code keyId}), a fresh random IV and {@code aad}. */
    static TemplateKeys.Sealed seal(String keyId, SecretKey key, byte[] plaintext, byte[] aad) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            return new TemplateKeys.Sealed(keyId, iv, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of a sealed value.
     *
     * @throws GeneralSecurityException when the ciphertext, IV, AAD or key is wrong
     */
    static byte[] open(SecretKey key, byte[] iv, byte[] ciphertext, byte[] aad) throws GeneralSecurityException {
        if (iv == null || iv.length != IV_BYTES) {
            throw new InvalidAlgorithmParameterException("the IV must be " + IV_BYTES + " bytes, not "
                    + (iv == null ? "missing" : iv.length));
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(ciphertext);
    }

    /** Whether {@code key} opens at least one of the samples (their plaintext is wiped at once). */
    static boolean opensAny(SecretKey key, List<KeyChecksImpl.SealedSample> samples) {
        for (KeyChecksImpl.SealedSample sample : samples) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sample.iv()));
                cipher.updateAAD(sample.aad());
                Arrays.fill(cipher.doFinal(sample.ciphertext()), (byte) 0);
                return true;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this key (or this row was tampered with): try the next
            }
        }
        return false;
    }
}
