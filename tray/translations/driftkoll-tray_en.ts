<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="sv">
<context>
    <name>dk::tray::Controller</name>
    <message>
        <source>Kontrollen kunde inte göras: %1</source>
        <translation>The check could not be done: %1</translation>
    </message>
    <message>
        <source>Ingen agent svarar – kontrollen görs nu, här.</source>
        <translation>No agent answers – the check is done now, here.</translation>
    </message>
    <message>
        <source>Agenten svarar inte – kontrollen görs nu, här.</source>
        <translation>The agent does not answer – the check is done now, here.</translation>
    </message>
    <message>
        <source>Agenten kunde inte köra kontrollen: %1</source>
        <translation>The agent could not run the check: %1</translation>
    </message>
</context>
<context>
    <name>dk::tray::Dialogs</name>
    <message>
        <source>Vardagar</source>
        <translation>Weekdays</translation>
    </message>
    <message>
        <source>Helger</source>
        <translation>Weekends and holidays</translation>
    </message>
    <message>
        <source>Alla dagar</source>
        <translation>Every day</translation>
    </message>
    <message>
        <source>Tel: %1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <source> eller </source>
        <translation> or </translation>
    </message>
    <message>
        <source>Kontaktuppgifterna kunde inte läsas:
%1</source>
        <translation>The contact details could not be read:
%1</translation>
    </message>
    <message>
        <source>Carelock-guiden kunde inte läsas:
%1</source>
        <translation>The Carelock guide could not be read:
%1</translation>
    </message>
    <message>
        <source>Ingen Carelock-guide är inställd.</source>
        <translation>No Carelock guide is configured.</translation>
    </message>
    <message>
        <source>Fel på Carelock just nu (%1–%2):</source>
        <translation>Carelock fault right now (%1–%2):</translation>
    </message>
    <message>
        <source>Hela guiden:</source>
        <translation>The whole guide:</translation>
    </message>
    <message>
        <source>Ingen kontroll har gjorts ännu, så planerat underhåll är inte känt.</source>
        <translation>No check has been made yet, so planned maintenance is not known.</translation>
    </message>
    <message>
        <source>Pågår nu:</source>
        <translation>Now:</translation>
    </message>
    <message>
        <source>  Inget planerat underhåll.</source>
        <translation>  No planned maintenance.</translation>
    </message>
    <message>
        <source>De kommande två veckorna:</source>
        <translation>The next two weeks:</translation>
    </message>
    <message>
        <source>Obs: %1</source>
        <translation>Note: %1</translation>
    </message>
    <message>
        <source>Kopiera</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Stäng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>dk::tray::ReportView</name>
    <message>
        <source>Försök %1: %2</source>
        <translation>Attempt %1: %2</translation>
    </message>
    <message>
        <source>tider: </source>
        <translation>timings: </translation>
    </message>
    <message>
        <source>problem: </source>
        <translation>problems: </translation>
    </message>
    <message>
        <source>fel: </source>
        <translation>error: </translation>
    </message>
    <message>
        <source>underlag:</source>
        <translation>evidence:</translation>
    </message>
    <message>
        <source>Inga försök registrerade.</source>
        <translation>No attempts recorded.</translation>
    </message>
    <message>
        <source>Agenten körs inte, så ingen kontroll har gjorts ännu.</source>
        <translation>The agent is not running, so no check has been made yet.</translation>
    </message>
    <message>
        <source>Väntar på den första kontrollen.</source>
        <translation>Waiting for the first check.</translation>
    </message>
    <message>
        <source>tryck %1</source>
        <translation>press %1</translation>
    </message>
    <message>
        <source>, sedan </source>
        <translation>, then </translation>
    </message>
    <message>
        <source>fungerar</source>
        <translation>works</translation>
    </message>
    <message>
        <source>varning</source>
        <translation>warning</translation>
    </message>
    <message>
        <source>fungerar inte</source>
        <translation>does not work</translation>
    </message>
    <message>
        <source>inte kontrollerat</source>
        <translation>not checked</translation>
    </message>
    <message>
        <source>din fråga</source>
        <translation>your question</translation>
    </message>
    <message>
        <source>gör så här</source>
        <translation>do this</translation>
    </message>
</context>
<context>
    <name>dk::tray::State</name>
    <message>
        <source>Allt fungerar</source>
        <translation>All fine</translation>
    </message>
    <message>
        <source>Varning</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Fel</source>
        <translation>Fault</translation>
    </message>
    <message>
        <source>Okänt läge</source>
        <translation>Unknown state</translation>
    </message>
</context>
<context>
    <name>dk::tray::StatusWindow</name>
    <message>
        <source>fungerar</source>
        <translation>works</translation>
    </message>
    <message>
        <source>fungerar inte</source>
        <translation>does not work</translation>
    </message>
    <message>
        <source>lösenordet nekas</source>
        <translation>the password is refused</translation>
    </message>
    <message>
        <source>inloggningssidan kommer inte upp</source>
        <translation>the login page does not come up</translation>
    </message>
    <message>
        <source>inte besvarat</source>
        <translation>not answered</translation>
    </message>
    <message>
        <source>driftkoll – läget just nu</source>
        <translation>driftkoll – the state right now</translation>
    </message>
    <message>
        <source>Bedömning</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>Gör så här nu</source>
        <translation>Do this now</translation>
    </message>
    <message>
        <source>Nummer att ringa</source>
        <translation>Number to call</translation>
    </message>
    <message>
        <source>Kopiera numret</source>
        <translation>Copy the number</translation>
    </message>
    <message>
        <source>Villkor</source>
        <translation>Condition</translation>
    </message>
    <message>
        <source>Vad du säger i telefon</source>
        <translation>What to say on the phone</translation>
    </message>
    <message>
        <source>Ärendekod</source>
        <translation>Case code</translation>
    </message>
    <message>
        <source>Kopiera ärendekoden</source>
        <translation>Copy the case code</translation>
    </message>
    <message>
        <source>Ärendekod:</source>
        <translation>Case code:</translation>
    </message>
    <message>
        <source>Starta agenten</source>
        <translation>Start the agent</translation>
    </message>
    <message>
        <source>Rutinens steg och kontroller</source>
        <translation>The routine's steps and checks</translation>
    </message>
    <message>
        <source>Steg och kontroll</source>
        <translation>Step and check</translation>
    </message>
    <message>
        <source>Resultat</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Underlag för IT</source>
        <translation>Evidence for IT</translation>
    </message>
    <message>
        <source>Välj ett steg eller en kontroll för att se underlaget (tider och fel).</source>
        <translation>Select a step or a check to see the evidence (timings and errors).</translation>
    </message>
    <message>
        <source>Lösenordet nekas</source>
        <translation>The password is refused</translation>
    </message>
    <message>
        <source>Steg 2: lösenordet nekas</source>
        <translation>Step 2: the password is refused</translation>
    </message>
    <message>
        <source>Inloggningssidan kommer inte upp</source>
        <translation>The login page does not come up</translation>
    </message>
    <message>
        <source>Steg 2: inloggningssidan kommer inte upp</source>
        <translation>Step 2: the login page does not come up</translation>
    </message>
    <message>
        <source>Ja, det fungerar</source>
        <translation>Yes, it works</translation>
    </message>
    <message>
        <source>Steg 4: för en kollega på den här datorn fungerar det</source>
        <translation>Step 4: it works for a colleague on this computer</translation>
    </message>
    <message>
        <source>Nej</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Steg 4: för en kollega på den här datorn fungerar det inte</source>
        <translation>Step 4: it does not work for a colleague on this computer</translation>
    </message>
    <message>
        <source>Steg 4: på en annan dator fungerar det</source>
        <translation>Step 4: it works on another computer</translation>
    </message>
    <message>
        <source>Steg 4: på en annan dator fungerar det inte</source>
        <translation>Step 4: it does not work on another computer</translation>
    </message>
    <message>
        <source>Dina svar</source>
        <translation>Your answers</translation>
    </message>
    <message>
        <source>Steg 2: Starta om datorn och försök logga in igen. Vad händer?</source>
        <translation>Step 2: Restart the computer and try to log in again. What happens?</translation>
    </message>
    <message>
        <source>Steg 4: Fungerar det för en kollega på den här datorn?</source>
        <translation>Step 4: Does it work for a colleague on this computer?</translation>
    </message>
    <message>
        <source>Steg 4: Fungerar det på en annan dator?</source>
        <translation>Step 4: Does it work on another computer?</translation>
    </message>
    <message>
        <source>Kontrollera igen</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>Kontrollen pågår</source>
        <translation>The check is running</translation>
    </message>
    <message>
        <source>Spara underlag för IT</source>
        <translation>Save evidence for IT</translation>
    </message>
    <message>
        <source>Skicka e-post till supporten</source>
        <translation>E-mail the support</translation>
    </message>
    <message>
        <source>Stäng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Numret är kopierat.</source>
        <translation>The number is copied.</translation>
    </message>
    <message>
        <source>Ärendekoden är kopierad.</source>
        <translation>The case code is copied.</translation>
    </message>
    <message>
        <source>Agenten startas …</source>
        <translation>Starting the agent …</translation>
    </message>
    <message>
        <source>Underlaget för IT sparas …</source>
        <translation>Saving the evidence for IT …</translation>
    </message>
    <message>
        <source>Agenten startas: %1</source>
        <translation>The agent is starting: %1</translation>
    </message>
    <message>
        <source>Agenten kunde inte startas: %1</source>
        <translation>The agent could not be started: %1</translation>
    </message>
    <message>
        <source>Svaret är skickat – bedömningen uppdateras.</source>
        <translation>The answer is sent – the verdict is being updated.</translation>
    </message>
    <message>
        <source>Svaret kunde inte skickas: %1</source>
        <translation>The answer could not be sent: %1</translation>
    </message>
    <message>
        <source>Underlaget för IT är sparat i %1</source>
        <translation>The evidence for IT is saved in %1</translation>
    </message>
    <message>
        <source>Underlaget kunde inte sparas: %1</source>
        <translation>The evidence could not be saved: %1</translation>
    </message>
    <message>
        <source>Ingen kontroll ännu – agenten körs inte.</source>
        <translation>No check yet – the agent is not running.</translation>
    </message>
    <message>
        <source>Väntar på den första kontrollen …</source>
        <translation>Waiting for the first check …</translation>
    </message>
    <message>
        <source>Tryck på ”Kontrollera igen” för att kontrollera nu.</source>
        <translation>Press “Check again” to check now.</translation>
    </message>
    <message>
        <source>internt %1</source>
        <translation>internal %1</translation>
    </message>
    <message>
        <source>Supporten öppnar %1.</source>
        <translation>The support opens %1.</translation>
    </message>
    <message>
        <source>Omstartad sedan felet började</source>
        <translation>Restarted since the problem began</translation>
    </message>
    <message>
        <source>ja</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>nej</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Inloggning efter omstart (ditt svar)</source>
        <translation>Login after a restart (your answer)</translation>
    </message>
    <message>
        <source>Kollega på samma dator (ditt svar)</source>
        <translation>A colleague on this computer (your answer)</translation>
    </message>
    <message>
        <source>En annan dator (ditt svar)</source>
        <translation>Another computer (your answer)</translation>
    </message>
    <message>
        <source>Datorn har inte startats om sedan felet började.</source>
        <translation>The computer has not been restarted since the problem began.</translation>
    </message>
    <message>
        <source>Kontrollerat %1</source>
        <translation>Checked %1</translation>
    </message>
    <message>
        <source> (låtsad tid)</source>
        <translation> (pretended time)</translation>
    </message>
    <message>
        <source> – här, utan agent.</source>
        <translation> – here, without the agent.</translation>
    </message>
    <message>
        <source> – av agenten.</source>
        <translation> – by the agent.</translation>
    </message>
    <message>
        <source>Agenten körs inte, så ingenting bevakas just nu. Du kan starta den, eller kontrollera här med ”Kontrollera igen”.</source>
        <translation>The agent is not running, so nothing is being watched right now. You can start it, or check here with “Check again”.</translation>
    </message>
    <message>
        <source>Kontrollerar …</source>
        <translation>Checking …</translation>
    </message>
    <message>
        <source>E-post till %1 med ärendekoden och sammanfattningen</source>
        <translation>E-mail to %1 with the case code and the summary</translation>
    </message>
    <message>
        <source>driftkoll: %1</source>
        <translation>driftkoll: %1</translation>
    </message>
    <message>
        <source>driftkoll, ärendekod %1: %2</source>
        <translation>driftkoll, case code %1: %2</translation>
    </message>
    <message>
        <source>Ärendekod: %1</source>
        <translation>Case code: %1</translation>
    </message>
    <message>
        <source>Dator: %1</source>
        <translation>Computer: %1</translation>
    </message>
    <message>
        <source>Kontrollerat: %1</source>
        <translation>Checked: %1</translation>
    </message>
</context>
<context>
    <name>dk::tray::TrayApp</name>
    <message>
        <source>Underlag för IT</source>
        <translation>Evidence for IT</translation>
    </message>
    <message>
        <source>Sparat i %1</source>
        <translation>Saved in %1</translation>
    </message>
    <message>
        <source>Kunde inte sparas: %1</source>
        <translation>Could not be saved: %1</translation>
    </message>
    <message>
        <source>Ring %1</source>
        <translation>Call %1</translation>
    </message>
    <message>
        <source>&amp;Kontrollera nu</source>
        <translation>&amp;Check now</translation>
    </message>
    <message>
        <source>&amp;Visa läget</source>
        <translation>&amp;Show status</translation>
    </message>
    <message>
        <source>Vem &amp;ringer jag nu?</source>
        <translation>&amp;Whom do I call now?</translation>
    </message>
    <message>
        <source>Vem ringer jag nu?</source>
        <translation>Whom do I call now?</translation>
    </message>
    <message>
        <source>&amp;Carelock – felanmälan</source>
        <translation>C&amp;arelock fault guide</translation>
    </message>
    <message>
        <source>Carelock – felanmälan</source>
        <translation>Carelock fault guide</translation>
    </message>
    <message>
        <source>&amp;Planerat underhåll</source>
        <translation>&amp;Planned maintenance</translation>
    </message>
    <message>
        <source>Planerat underhåll</source>
        <translation>Planned maintenance</translation>
    </message>
    <message>
        <source>&amp;Spara underlag för IT</source>
        <translation>&amp;Export log for IT</translation>
    </message>
    <message>
        <source>&amp;Tyst läge (inga aviseringar)</source>
        <translation>&amp;Quiet (no notifications)</translation>
    </message>
    <message>
        <source>&amp;Om driftkoll</source>
        <translation>A&amp;bout driftkoll</translation>
    </message>
    <message>
        <source>körs</source>
        <translation>running</translation>
    </message>
    <message>
        <source>körs inte</source>
        <translation>not running</translation>
    </message>
    <message>
        <source>används inte</source>
        <translation>not used</translation>
    </message>
    <message>
        <source>driftkoll %1

Kontrollerar nätverket och verksamhetssystemen och säger vem du ska ringa när TES inte fungerar.

Agenten: %2
Agentens gränssnitt: %3
Konfiguration: %4</source>
        <translation>driftkoll %1

Checks the network and the business systems, and tells you whom to call when TES does not work.

The agent: %2
The agent's API: %3
Configuration: %4</translation>
    </message>
    <message>
        <source>användarens eller systemets fil, annars den inbyggda profilen</source>
        <translation>the user's or the system's file, else the built-in profile</translation>
    </message>
    <message>
        <source>Om driftkoll</source>
        <translation>About driftkoll</translation>
    </message>
    <message>
        <source>&amp;Avsluta</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>driftkoll</source>
        <translation>driftkoll</translation>
    </message>
    <message>
        <source>driftkoll – läget</source>
        <translation>driftkoll – the state</translation>
    </message>
    <message>
        <source>Visa läget</source>
        <translation>Show status</translation>
    </message>
    <message>
        <source>Meny</source>
        <translation>Menu</translation>
    </message>
</context>
</TS>
