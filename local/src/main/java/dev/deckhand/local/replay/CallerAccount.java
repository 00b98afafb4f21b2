package dev.deckhand.local.replay;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Whose account a replay with {@code --endpoint} acts in: STS GetCallerIdentity with the
 * credentials the functions will get, asked before anything runs, so the user sees the account and
 * region first and a sample of another account is refused (its ARNs would name resources that are
 * not there, or worse, are).
 *
 * <pre>{@code
 * CallerAccount caller = CallerAccount.of(sts, region);
 * notes.println(caller.describe(options.dryRun()));
 * String refusal = caller.refusal(event);
 * }</pre>
 */
public record CallerAccount(String account, String arn, String region) {

    public static CallerAccount of(StsClient sts, String region) {
        GetCallerIdentityResponse identity = sts.getCallerIdentity();
        return new CallerAccount(identity.account(), identity.arn(), region);
    }

    /** One line for the user, before anything runs. */
    public String describe(boolean dryRun) {
        return "deckhand: account " + account + " (" + arn + "), region " + region + ": "
                + (dryRun ? "dry run (DECKHAND_DRY_RUN=true); --apply lets the functions change it" : "--apply: the functions change it");
    }

    /** Why {@code event} must not run in this account, or null when it may. */
    public String refusal(JsonNode event) {
        String eventAccount = event.path("account").asText("");
        if (eventAccount.isEmpty()) {
            return "the event has no `account`; with --endpoint it must be the caller's, " + account;
        }
        if (!eventAccount.equals(account)) {
            return "the event's account is " + eventAccount + " but the credentials are account " + account
                    + " (" + arn + "); edit the sample's `account` (and its ARNs) to replay it here";
        }
        return null;
    }
}
