#ifndef INTAKE_CCRYPTO_SHIM_H
#define INTAKE_CCRYPTO_SHIM_H
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#endif
