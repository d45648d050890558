from onezone.cli import main

main()
