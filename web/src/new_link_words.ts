/**
 * Every sentence the "Get a new link" page's script shows, in one place. The limits here are the
 * ones `app.new_link_limits()` applies (3 a day for a school, 10 an hour from one device); the
 * browser test holds the two together.
 */
export const newLinkWords = {
  urnRequired: 'Enter the school’s unique reference number (URN)',
  urnLimit:
    'A new link has already been sent for this school 3 times in the last 24 hours. Check the ' +
    'school’s inbox, or try again tomorrow.',
  clientLimit: 'You have asked for 10 new links in the last hour. Try again in an hour.',
} as const
