import nodemailer from "nodemailer";
import { insertOutboxMessage, markOutboxFailed, markOutboxSent } from "~/models/outbox.server";
import { readEnvironment } from "./env.server";
import { logger } from "./logger.server";

let transporter: nodemailer.Transporter | null | undefined;

function getTransporter() {
  if (transporter === undefined) {
    const { SMTP_URL } = readEnvironment();
    transporter = SMTP_URL ? nodemailer.createTransport(SMTP_URL) : null;
  }
  return transporter;
}

/**
 * Every message is written to the outbox first. With SMTP_URL set it is then
 * delivered and marked sent; without it the outbox is where mail stays, for
 * an admin (or a test) to read.
 */
export async function sendMail(message: { to: string; subject: string; text: string }) {
  const { id } = await insertOutboxMessage({
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
  });
  const smtp = getTransporter();
  if (!smtp) return;
  try {
    const from = readEnvironment().MAIL_FROM;
    await smtp.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    await markOutboxSent(id);
  } catch (error) {
    logger.error({ err: error, outboxId: id }, "mail delivery failed");
    await markOutboxFailed(id, error instanceof Error ? error.message : String(error));
  }
}
