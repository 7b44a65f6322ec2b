"""A real SMTP server for the mail tests (aiosmtpd): prints every message it accepts, and
refuses for good (550) any recipient whose address starts with "bounce", as a receiving server
does for an address that does not exist. Usage: python3 -u smtp_sink.py PORT"""
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        print(envelope.content.decode("utf8", errors="replace"), flush=True)
        return "250 Message accepted for delivery"


controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
threading.Event().wait()
