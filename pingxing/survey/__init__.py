"""Online surveys (问卷星, 腾讯问卷): the question list to create, and the platform's export read back."""
