"""The public door: a person who wants to create a ressourcerie describes the project, confirms
their e-mail address, and a coordinator accepts (the project starts, the person is invited) or
declines with a message. No account exists before acceptance."""
