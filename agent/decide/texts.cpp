#include "agent/decide/texts.h"

#include <cstdlib>

namespace dk {

Lang localeLang() {
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value && *value)
            return std::string_view(value).substr(0, 2) == "en" ? Lang::en : Lang::sv;
    }
    return Lang::sv;
}

std::optional<Lang> parseLang(std::string_view s) {
    if (s == "sv")
        return Lang::sv;
    if (s == "en")
        return Lang::en;
    return std::nullopt;
}

std::string stepTitle(int step, Lang l) {
    switch (step) {
        case 1:
            return tr(l, "Steg 1 – Kablar och anslutningar", "Step 1 – Cables and connections");
        case 2:
            return tr(l, "Steg 2 – Omstart och inloggning i TES",
                      "Step 2 – Restart and log in to TES");
        case 3:
            return tr(l, "Steg 3 – Andra verksamhetssystem och en extern webbplats",
                      "Step 3 – Other business systems and an outside site");
        case 4:
            return tr(l, "Steg 4 – Kollega på samma dator, och en annan dator",
                      "Step 4 – A colleague on this computer, and another computer");
        case 5:
            return tr(l, "Steg 5 – Vad du ska göra nu", "Step 5 – What to do now");
    }
    return {};
}

std::string checkLabel(std::string_view kind, std::string_view name, Lang l) {
    std::string n(name);
    if (kind == "link")
        return tr(l, "Nätverkskabel eller Wi-Fi", "Network cable or Wi-Fi");
    if (kind == "address")
        return tr(l, "Nätverksadress (IP)", "Network address (IP)");
    if (kind == "gateway")
        return tr(l, "Kontakt med nätverket (gateway)", "Contact with the network (gateway)");
    if (kind == "dns_servers")
        return tr(l, "Namnservrar inställda (DNS)", "Name servers set (DNS)");
    if (kind == "dns")
        return std::string(tr(l, "Namnuppslagning (DNS): ", "Name lookup (DNS): ")) + n;
    if (kind == "http" || kind == "tcp")
        return n;
    if (kind == "clock")
        return tr(l, "Datorns klocka", "The computer's clock");
    return std::string(kind);
}

std::string statusWord(Status s, Lang l) {
    switch (s) {
        case Status::pass:
            return "OK";
        case Status::warn:
            return tr(l, "VARNING", "WARNING");
        case Status::fail:
            return tr(l, "FEL", "FAILED");
        case Status::not_run:
            return tr(l, "EJ KÖRD", "NOT RUN");
    }
    return {};
}

std::string problemText(Problem p, Lang l) {
    switch (p) {
        case Problem::no_interfaces:
            return tr(l, "inget nätverkskort hittades", "no network adapter found");
        case Problem::no_carrier:
            return tr(l, "ingen kabel- eller Wi-Fi-anslutning", "no cable or Wi-Fi connection");
        case Problem::no_address:
            return tr(l, "datorn har ingen nätverksadress", "the computer has no network address");
        case Problem::link_local_only:
            return tr(l, "datorn fick ingen adress från nätverket (169.254)",
                      "the network gave the computer no address (169.254)");
        case Problem::no_default_route:
            return tr(l, "ingen väg ut från det lokala nätverket",
                      "no route out of the local network");
        case Problem::gateway_unreachable:
            return tr(l, "nätverkets router svarar inte", "the network's router does not answer");
        case Problem::gateway_unverified:
            return tr(l, "kunde inte se om routern svarar",
                      "could not tell whether the router answers");
        case Problem::gateway_silent:
            return tr(l, "nätverkets router har inte svarat på en stund",
                      "the network's router has not answered for a while");
        case Problem::no_dns_servers:
            return tr(l, "inga namnservrar är inställda", "no name servers are set");
        case Problem::dns_nxdomain:
            return tr(l, "namnet finns inte (NXDOMAIN)", "the name does not exist (NXDOMAIN)");
        case Problem::dns_no_data:
            return tr(l, "namnet har ingen adress", "the name has no address");
        case Problem::dns_servfail:
            return tr(l, "namnservern kunde inte svara (SERVFAIL)",
                      "the name server could not answer (SERVFAIL)");
        case Problem::dns_refused:
            return tr(l, "namnservern vägrade svara (REFUSED)",
                      "the name server refused (REFUSED)");
        case Problem::dns_timeout:
            return tr(l, "namnservern svarar inte", "the name server does not answer");
        case Problem::dns_error:
            return tr(l, "namnuppslagningen misslyckades", "the name lookup failed");
        case Problem::dns_slow:
            return tr(l, "namnuppslagningen är långsam", "the name lookup is slow");
        case Problem::tcp_refused:
            return tr(l, "servern tar inte emot anslutningar", "the server refuses connections");
        case Problem::tcp_timeout:
            return tr(l, "servern svarar inte", "the server does not answer");
        case Problem::tcp_unreachable:
            return tr(l, "servern går inte att nå", "the server cannot be reached");
        case Problem::tcp_error:
            return tr(l, "anslutningen misslyckades", "the connection failed");
        case Problem::tls_timeout:
            return tr(l, "den säkra anslutningen blev aldrig klar",
                      "the secure connection never completed");
        case Problem::tls_handshake_failed:
            return tr(l, "den säkra anslutningen misslyckades", "the secure connection failed");
        case Problem::tls_cert_expired:
            return tr(l, "serverns certifikat har gått ut", "the server's certificate has expired");
        case Problem::tls_cert_not_yet_valid:
            return tr(l, "serverns certifikat gäller inte än (fel klocka?)",
                      "the server's certificate is not valid yet (wrong clock?)");
        case Problem::tls_cert_untrusted:
            return tr(l, "serverns certifikat är inte betrott",
                      "the server's certificate is not trusted");
        case Problem::tls_hostname_mismatch:
            return tr(l, "certifikatet gäller en annan adress",
                      "the certificate is for another address");
        case Problem::tls_cert_expiring:
            return tr(l, "certifikatet går snart ut", "the certificate expires soon");
        case Problem::http_timeout:
            return tr(l, "servern svarar inte på frågan", "the server does not answer the request");
        case Problem::http_server_error:
            return tr(l, "systemet har ett fel (5xx)", "the system reports an error (5xx)");
        case Problem::http_client_error:
            return tr(l, "sidan kunde inte visas (4xx)", "the page could not be shown (4xx)");
        case Problem::http_unexpected_status:
            return tr(l, "oväntat svar från systemet", "unexpected answer from the system");
        case Problem::http_expected_text_missing:
            return tr(l, "sidan ser inte ut som den ska", "the page does not look as it should");
        case Problem::http_maintenance_page:
            return tr(l, "systemet visar en underhållssida", "the system shows a maintenance page");
        case Problem::http_too_many_redirects:
            return tr(l, "sidan skickar runt i en slinga", "the page redirects in a loop");
        case Problem::http_error:
            return tr(l, "sidan kunde inte hämtas", "the page could not be fetched");
        case Problem::proxy_error:
            return tr(l, "proxyservern fungerar inte", "the proxy server does not work");
        case Problem::slow:
            return tr(l, "svarar långsamt", "answers slowly");
        case Problem::intermittent:
            return tr(l, "fungerar bara ibland", "works only sometimes");
        case Problem::clock_skew:
            return tr(l, "datorns klocka går fel", "the computer's clock is wrong");
        case Problem::clock_no_reference:
            return tr(l, "ingen tid att jämföra med", "no time to compare with");
        case Problem::not_configured:
            return tr(l, "inte konfigurerad", "not configured");
        case Problem::skipped_prerequisite:
            return tr(l, "hoppades över eftersom ett tidigare steg inte fungerar",
                      "skipped because an earlier step fails");
        case Problem::deadline_exceeded:
            return tr(l, "hann inte bli klar i tid", "did not finish in time");
        case Problem::internal_error:
            return tr(l, "internt fel i driftkoll", "internal error in driftkoll");
    }
    return {};
}

}  // namespace dk
