#include "tests/support/certs.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace dk::test {

namespace {

constexpr long kDay = 24 * 60 * 60;

struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
struct FileCloser {
    void operator()(FILE* f) const { std::fclose(f); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Cert = std::unique_ptr<X509, X509Deleter>;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("test certificates: " + what + " failed");
}

void check(int ok, const char* what) {
    if (ok != 1)
        fail(what);
}

Pkey newKey() {
    Pkey key(EVP_EC_gen("P-256"));
    if (!key)
        fail("EVP_EC_gen");
    return key;
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr)
        fail(std::string("extension ") + OBJ_nid2sn(nid));
    const int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    check(ok, "X509_add_ext");
}

struct Spec {
    std::string common_name;
    std::string alt_names;  // subjectAltName value; empty for the CA
    long not_before;        // seconds from now
    long not_after;         // seconds from now
    bool ca = false;
};

// A certificate for `key`, signed by `issuer`/`issuer_key`, or by itself when
// `issuer` is null.
Cert makeCert(const Spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
    Cert cert(X509_new());
    if (!cert)
        fail("X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
    unsigned char serial[16];
    check(RAND_bytes(serial, sizeof serial), "RAND_bytes");
    serial[0] &= 0x7f;  // a positive serial number
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    check(bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr,
          "serial number");
    BN_free(bn);
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before) != nullptr,
          "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after) != nullptr, "notAfter");
    check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");

    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("driftkoll test"), -1,
                                     -1, 0),
          "subject O");
    check(X509_NAME_add_entry_by_txt(
              name, "CN", MBSTRING_ASC,
              reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0),
          "subject CN");
    X509* signer = issuer != nullptr ? issuer : cert.get();
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)), "issuer name");

    if (spec.ca) {
        addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        addExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
        addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
        addExtension(cert.get(), signer, NID_subject_alt_name, spec.alt_names.c_str());
    }
    addExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer != nullptr)
        addExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");

    if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) <= 0)
        fail("X509_sign");
    return cert;
}

void writeCert(const std::string& path, X509* cert) {
    std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "w"));
    if (!f)
        fail("writing " + path);
    check(PEM_write_X509(f.get(), cert), "PEM_write_X509");
}

void writeKey(const std::string& path, EVP_PKEY* key) {
    std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "w"));
    if (!f)
        fail("writing " + path);
    check(PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
          "PEM_write_PrivateKey");
}

}  // namespace

TestCerts::TestCerts() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "driftkoll-certs-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
        fail("mkdtemp");
    dir = pattern;
    try {
        const std::string localhost = "DNS:localhost,IP:127.0.0.1";
        Pkey ca_key = newKey();
        Cert ca_cert = makeCert({"driftkoll test CA", "", -kDay, 365 * kDay, true}, ca_key.get(),
                                nullptr, nullptr);
        ca = dir + "/ca.pem";
        writeCert(ca, ca_cert.get());

        auto leaf = [&](const std::string& name, const Spec& spec, bool by_itself) {
            Pkey key = newKey();
            Cert cert = by_itself ? makeCert(spec, key.get(), nullptr, nullptr)
                                  : makeCert(spec, key.get(), ca_cert.get(), ca_key.get());
            CertFiles files{dir + "/" + name + ".pem", dir + "/" + name + "-key.pem"};
            writeCert(files.cert, cert.get());
            writeKey(files.key, key.get());
            return files;
        };
        valid = leaf("valid", {"localhost", localhost, -30 * kDay, 60 * kDay}, false);
        expired = leaf("expired", {"localhost", localhost, -60 * kDay, -kDay}, false);
        not_yet_valid = leaf("not-yet-valid", {"localhost", localhost, kDay, 60 * kDay}, false);
        wrong_host =
            leaf("wrong-host", {"other.invalid", "DNS:other.invalid", -kDay, 60 * kDay}, false);
        self_signed = leaf("self-signed", {"localhost", localhost, -kDay, 60 * kDay}, true);
        expiring_soon = leaf("expiring", {"localhost", localhost, -30 * kDay, 3 * kDay}, false);
        const std::string lab = "DNS:*.kommun.test,DNS:*.na.test,DNS:*.orebro.test";
        scenario = leaf("scenario", {"kommun.test", lab, -30 * kDay, 60 * kDay}, false);
        scenario_expired = leaf("scenario-expired", {"kommun.test", lab, -60 * kDay, -kDay}, false);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
        throw;
    }
}

TestCerts::~TestCerts() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

const TestCerts& testCerts() {
    static const TestCerts certs;
    return certs;
}

}  // namespace dk::test
